import AdminClient
import Kafka
import Logging
import Metrics

import struct Foundation.Date

/// Polls one table of one organization and publishes what it finds, page by page, each page with the
/// checkpoint that covers it.
actor TablePoller {
    let table: AdminTable
    let definition: TableDefinition
    let client: AdminClient
    let publisher: any EventPublisher
    let settings: PollerSettings
    let logger: Logger
    let rowsFetched: Counter
    let eventsProduced: Counter
    let deletionsHeld: Counter
    private let lastSuccess: Gauge
    private let checkpointLag: Gauge

    /// The checkpoint as last published.
    var checkpoint: TableCheckpoint
    /// What consumers hold, row by row (state tables; mirrored in the state topic).
    var rowState: RowState
    /// `true` once this process re-emitted a full snapshot for `--resnapshot`.
    var didResnapshot = false

    init(
        table: AdminTable, client: AdminClient, publisher: any EventPublisher, settings: PollerSettings,
        checkpoint: TableCheckpoint?, rowState: RowState, logger: Logger
    ) {
        self.table = table
        self.definition = table.definition
        self.client = client
        self.publisher = publisher
        self.settings = settings
        self.checkpoint =
            checkpoint
            ?? TableCheckpoint(
                table: table, organizationID: settings.organizationID, topic: settings.topic, updatedAt: settings.now())
        self.rowState = rowState
        var logger = logger
        logger[metadataKey: LoggingKeys.table] = "\(table.name)"
        self.logger = logger
        let dimensions = [(MetricLabels.tableDimension, table.name)]
        self.rowsFetched = Counter(label: MetricLabels.rowsFetched, dimensions: dimensions)
        self.eventsProduced = Counter(label: MetricLabels.eventsProduced, dimensions: dimensions)
        self.deletionsHeld = Counter(label: MetricLabels.deletionsHeld, dimensions: dimensions)
        self.lastSuccess = Gauge(label: MetricLabels.lastSuccessfulPoll, dimensions: dimensions)
        self.checkpointLag = Gauge(label: MetricLabels.checkpointLag, dimensions: dimensions)
    }

    /// How long to wait between cycles.
    nonisolated func interval(pollInterval: Duration) -> Duration {
        definition.cursorKind == .snapshot ? settings.snapshotInterval : pollInterval
    }

    /// Runs one cycle: every due request series, each page published with its checkpoint.
    ///
    /// - Throws: ``StreamerError``; the checkpoint stays at the last published page.
    func runCycle() async throws(StreamerError) -> CycleOutcome {
        let outcome: CycleOutcome
        switch definition.cursorKind {
        case .daily, .dateRange: outcome = try await runTimeSeriesCycle()
        case .snapshot: outcome = try await runSnapshotCycle()
        }
        let now = settings.now()
        lastSuccess.record(now.timeIntervalSince1970)
        recordLag(now: now)
        return outcome
    }

    private func recordLag(now: Date) {
        switch definition.cursorKind {
        case .daily, .dateRange:
            if let next = checkpoint.nextDay {
                checkpointLag.record(max(0, now.timeIntervalSince(next.start)))
            }
        case .snapshot:
            if let last = checkpoint.snapshot?.lastCompletedAt {
                checkpointLag.record(max(0, now.timeIntervalSince(last)))
            }
        }
    }

    // MARK: Publishing

    func publish(_ records: [KafkaRecord], checkpoint next: TableCheckpoint) async throws(StreamerError) {
        try await publisher.publish(records, checkpoint: Self.checkpointRecord(next, settings: settings))
        checkpoint = next
    }

    /// The checkpoint topic's record for `checkpoint`.
    static func checkpointRecord(_ checkpoint: TableCheckpoint, settings: PollerSettings) -> KafkaRecord {
        let key = TableCheckpoint.key(organizationID: settings.organizationID, table: checkpoint.table)
        return KafkaRecord(
            topic: settings.checkpointTopic, key: Array(key.utf8), value: CheckpointCodec.encode(checkpoint),
            headers: [KafkaHeader(name: "content-type", value: Array("application/json".utf8))])
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

