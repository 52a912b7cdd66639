/// Labels of the streamer's metrics: dotted, lowercase, module first; dimensions stay low-cardinality.
/// The README's "Operations" section lists them with their Prometheus names.
enum MetricLabels {
    /// Counter, dimension `table`: rows the Admin API returned.
    static let rowsFetched = "streamer.rows.fetched"
    /// Counter, dimension `table`: events published (new and changed rows, tombstones).
    static let eventsProduced = "streamer.events.produced"
    /// Counter: Kafka transactions committed (exactly-once).
    static let transactionsCommitted = "streamer.transactions.committed"
    /// Counter: Kafka transactions aborted (exactly-once), each followed by a retry of the page or a stop.
    static let transactionsAborted = "streamer.transactions.aborted"
    /// Counter, dimension `table`: poll cycles that failed (retried next cycle).
    static let pollFailures = "streamer.poll.failures"
    /// Gauge, dimension `table`: Unix time of the last successful poll cycle.
    static let lastSuccessfulPoll = "streamer.poll.last_success_timestamp"
    /// Gauge, dimension `table`: seconds the table's cursor is behind now.
    static let checkpointLag = "streamer.checkpoint.lag_seconds"
    /// Gauge: messages in the producer's queue not yet acknowledged by the brokers.
    static let queueDepth = "streamer.queue.depth"
    /// Counter, dimension `table`: listings whose deletions were held as a mass deletion (not carried out).
    static let deletionsHeld = "streamer.deletions.held"
    /// Dimension: the table name.
    static let tableDimension = "table"
}
