/// Labels of the streamer's metrics: dotted, lowercase, module first; dimensions stay low-cardinality.
/// Dots become underscores in Prometheus, so each label ends in its Prometheus suffix: `.total` for counters,
/// `_seconds` for durations and ages, `_timestamp_seconds` for times. ``PrometheusBootstrap/families`` holds
/// each metric's help text; the README's "Metrics" table lists them.
enum MetricLabels {
    /// Counter, dimension `table`: rows the Admin API returned.
    static let rowsFetched = "streamer.rows.fetched.total"
    /// Counter, dimension `table`: events published (new and changed rows, tombstones).
    static let eventsProduced = "streamer.events.produced.total"
    /// Counter: Kafka transactions committed (exactly-once).
    static let transactionsCommitted = "streamer.transactions.committed.total"
    /// Counter: Kafka transactions aborted (exactly-once), each followed by a retry of the page or a stop.
    static let transactionsAborted = "streamer.transactions.aborted.total"
    /// Recorder: pages per committed transaction (or per acknowledged batch, at-least-once).
    static let transactionPages = "streamer.transaction.pages"
    /// Counter, dimension `table`: poll cycles that failed (retried next cycle).
    static let pollFailures = "streamer.poll.failures.total"
    /// Gauge, dimension `table` (and `organization` in a fleet): Unix time of the last successful poll cycle.
    static let lastSuccessfulPoll = "streamer.poll.last_success_timestamp_seconds"
    /// Gauge, dimension `table` (and `organization` in a fleet): seconds the table's cursor is behind now.
    static let checkpointLag = "streamer.checkpoint.lag_seconds"
    /// Gauge: messages in the producer's queue not yet acknowledged by the brokers.
    static let queueDepth = "streamer.queue.depth"
    /// Counter, dimension `table`: request series refused because two of their rows had the same key.
    static let keyCollisions = "streamer.key_collisions.total"
    /// Counter, dimension `table`: tables switched off for an organization because their endpoint answered
    /// 403 or 404 (the organization's platform or plan lacks them).
    static let tablesUnavailable = "streamer.tables_unavailable.total"
    /// Counter, dimension `table`: listings whose deletions were held as a mass deletion (not carried out).
    static let deletionsHeld = "streamer.deletions_held.total"
    /// Dimension: the table name.
    static let tableDimension = "table"
    /// Dimension of per-organization gauges in a fleet: the organization's name in the organizations file. A
    /// fleet's organizations would otherwise overwrite one another's gauge (counters add up across organizations
    /// and carry no such dimension; a single organization's gauges carry none either).
    static let organizationDimension = "organization"
}
