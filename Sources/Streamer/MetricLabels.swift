/// Labels of the streamer's metrics: dotted, lowercase, module first; dimensions stay low-cardinality.
enum MetricLabels {
    static let rowsFetched = "streamer.rows.fetched"
    static let eventsProduced = "streamer.events.produced"
    static let transactionsCommitted = "streamer.transactions.committed"
    static let transactionsAborted = "streamer.transactions.aborted"
    static let pollFailures = "streamer.poll.failures"
    static let lastSuccessfulPoll = "streamer.poll.last_success_timestamp"
    static let checkpointLag = "streamer.checkpoint.lag_seconds"
    static let tableDimension = "table"
}
