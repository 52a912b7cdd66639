extension LoggingKeys {
    /// How long the units waited for the checkpoint topic to become stable.
    static let waited = "streamer.waited"
    /// The checkpoint partitions not yet stable: `partition: last stable offset < end offset at assignment`.
    static let behind = "streamer.behind"
    /// How long the wait may last before it gives up.
    static let limit = "streamer.limit"
}
