/// Metadata keys of the streamer's log lines: dotted, lowercase, module first.
enum LoggingKeys {
    static let table = "streamer.table"
    static let organizationID = "anthropic.organization_id"
    static let window = "streamer.window"
    static let page = "streamer.page"
    static let events = "streamer.events"
    static let rows = "streamer.rows"
    static let error = "streamer.error"
    static let attempt = "streamer.attempt"
    static let organization = "streamer.organization"
    static let unit = "streamer.unit"
    static let groupID = "streamer.group_id"
    static let partition = "streamer.partition"
    static let units = "streamer.units"
    static let restartIn = "streamer.restart_in"
    static let pages = "streamer.pages"
}
