import AdminClient
import Kafka
import Metrics

#if canImport(FoundationEssentials)
import struct FoundationEssentials.Date
#else
import struct Foundation.Date
#endif

/// The streamer's own metrics besides the pollers' counters: failed cycles, and the gauges sampled from its
/// state rather than counted as things happen (messages waiting in the producer's queue, how far each table's
/// cursor is behind now).
struct StreamerMetrics: Sendable {
    private let queueDepth: Gauge
    private let checkpointLag: [AdminTable: Gauge]
    private let pollFailures: [AdminTable: Counter]

    /// How often ``Streamer/run()`` samples. Default: 5 s.
    static let interval = Duration.seconds(5)

    init(tables: [AdminTable], organization: String?) {
        self.queueDepth = Gauge(label: MetricLabels.queueDepth)
        var lag: [AdminTable: Gauge] = [:]
        var failures: [AdminTable: Counter] = [:]
        for table in tables {
            lag[table] = Self.checkpointLagGauge(table, organization: organization)
            failures[table] = Counter(label: MetricLabels.pollFailures, dimensions: [(MetricLabels.tableDimension, table.name)])
        }
        self.checkpointLag = lag
        self.pollFailures = failures
    }

    /// The dimensions of a gauge about one organization's table: the table, and in a fleet the organization's
    /// name (``StreamerConfiguration/metricsOrganization``).
    static func gaugeDimensions(_ table: AdminTable, organization: String?) -> [(String, String)] {
        [(MetricLabels.tableDimension, table.name)] + organizationDimensions(organization)
    }

    /// The `organization` dimension of a fleet member's per-organization metrics; none for a single organization.
    static func organizationDimensions(_ organization: String?) -> [(String, String)] {
        organization.map { [(MetricLabels.organizationDimension, $0)] } ?? []
    }

    /// The `streamer_checkpoint_lag_seconds` gauge of one organization's table.
    static func checkpointLagGauge(_ table: AdminTable, organization: String?) -> Gauge {
        Gauge(label: MetricLabels.checkpointLag, dimensions: gaugeDimensions(table, organization: organization))
    }

    /// Counts a failed poll cycle.
    func pollFailed(_ table: AdminTable) {
        pollFailures[table]?.increment()
    }

    /// Records the producer's queue depth and each table's lag.
    func sample(producer: KafkaProducer?, checkpoints: [AdminTable: TableCheckpoint], now: Date) {
        if let producer { queueDepth.record(producer.queueDepth) }
        for (table, checkpoint) in checkpoints {
            if let lag = Self.lag(of: checkpoint, now: now) { checkpointLag[table]?.record(lag) }
        }
    }

    /// How far a checkpoint is behind `now`, in seconds: for a time table, since the start of the first day not
    /// yet published as final; for a state table, since the last completed snapshot. `nil` before either exists.
    static func lag(of checkpoint: TableCheckpoint, now: Date) -> Double? {
        switch checkpoint.table.definition.cursorKind {
        case .daily, .dateRange:
            checkpoint.nextDay.map { max(0, now.timeIntervalSince($0.start)) }
        case .snapshot:
            checkpoint.snapshot?.lastCompletedAt.map { max(0, now.timeIntervalSince($0)) }
        }
    }
}
