/// Metadata keys of the streamer's log lines: dotted, lowercase, module first.
enum LoggingKeys {
    static let table = "streamer.table"
    static let topic = "kafka.topic"
    static let organizationID = "anthropic.organization_id"
    static let day = "streamer.day"
    static let window = "streamer.window"
    static let page = "streamer.page"
    static let events = "streamer.events"
    static let rows = "streamer.rows"
    static let error = "streamer.error"
    static let attempt = "streamer.attempt"
    static let delivery = "streamer.delivery"
    static let checkpointTopic = "streamer.checkpoint_topic"
}
