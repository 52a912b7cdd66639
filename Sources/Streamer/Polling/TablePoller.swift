import AdminClient
import Kafka
import Logging
import Metrics

#if canImport(FoundationEssentials)
import struct FoundationEssentials.Date
#else
import struct Foundation.Date
#endif

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

    /// The checkpoint as last made durable.
    var checkpoint: TableCheckpoint
    /// The checkpoint after every page handed to the publisher (ahead of ``checkpoint`` while pages are in
    /// flight); reset to ``checkpoint`` at the start of each cycle.
    var working: TableCheckpoint
    /// The sequence number of the next page handed to the publisher.
    var nextSequence: UInt64 = 0
    /// The sequence number of the page whose checkpoint ``checkpoint`` is.
    var durableSequence: UInt64? = nil
    /// `<organization_id>/<table>`: this poller's checkpoint key and its source name at the publisher.
    nonisolated let source: String
    /// What consumers hold, row by row (state tables; time tables' settling days), mirrored in the state topic.
    var rowState: RowState
    /// Time tables: the row-state keys of each day, to compare and to clear a day's state when it becomes final.
    var stateKeysByDay: [CalendarDay: Set<String>]
    /// `true` once this process re-emitted a full snapshot for `--resnapshot`.
    var didResnapshot = false
    /// The largest page this poller has read (its rows' key and value bytes): what the next request reserves in
    /// the ``PageBudget``. `nil` before the first page.
    var largestPage: Int? = nil
    /// `true` once a page of the running time-series cycle was lost (its transaction aborted): the cycle starts no
    /// more series and its series fetch no more pages, which the publisher would refuse.
    var pageLost = false
    /// The running time-series cycle's pages whose durability is known.
    var settled = SettledPages()

    init(
        table: AdminTable, client: AdminClient, publisher: any EventPublisher, settings: PollerSettings,
        checkpoint: TableCheckpoint?, rowState: RowState, logger: Logger
    ) {
        self.table = table
        self.definition = client.definition(for: table)  // usage_report: its configured grouping
        self.client = client
        self.publisher = publisher
        self.settings = settings
        let initial =
            checkpoint
            ?? TableCheckpoint(
                table: table, organizationID: settings.organizationID, topic: settings.topic, updatedAt: settings.now())
        self.checkpoint = initial
        self.working = initial
        self.source = TableCheckpoint.key(organizationID: settings.organizationID, table: table)
        self.rowState = rowState
        self.stateKeysByDay = table.definition.cursorKind == .snapshot ? [:] : Self.keysByDay(rowState)
        var logger = logger
        logger[metadataKey: LoggingKeys.table] = "\(table.name)"
        self.logger = logger
        let dimensions = [(MetricLabels.tableDimension, table.name)]
        self.rowsFetched = Counter(label: MetricLabels.rowsFetched, dimensions: dimensions)
        self.eventsProduced = Counter(label: MetricLabels.eventsProduced, dimensions: dimensions)
        self.deletionsHeld = Counter(label: MetricLabels.deletionsHeld, dimensions: dimensions)
        self.lastSuccess = Gauge(
            label: MetricLabels.lastSuccessfulPoll,
            dimensions: StreamerMetrics.gaugeDimensions(table, organization: settings.metricsOrganization))
        self.checkpointLag = StreamerMetrics.checkpointLagGauge(table, organization: settings.metricsOrganization)
    }

    /// How long to wait between cycles.
    nonisolated func interval(pollInterval: Duration) -> Duration {
        definition.cursorKind == .snapshot ? settings.snapshotInterval : pollInterval
    }

    /// Runs one cycle: every due request series, each page published with its checkpoint. A cycle whose pages
    /// were lost with an aborted transaction starts again from the last durable checkpoint, up to
    /// `transactionAttempts` times.
    ///
    /// - Throws: ``StreamerError``; the checkpoint stays at the last durable page.
    func runCycle() async throws(StreamerError) -> CycleOutcome {
        var outcome = CycleOutcome()
        var attempt = 0
        cycle: while true {
            attempt += 1
            working = checkpoint
            await publisher.beginCycle(source: source, firstSequence: nextSequence)
            do throws(StreamerError) {
                let done: CycleOutcome
                switch definition.cursorKind {
                case .daily, .dateRange: done = try await runTimeSeriesCycle()
                case .snapshot: done = try await runSnapshotCycle()
                }
                outcome.add(done)
                break cycle
            } catch {
                guard error.code == .kafka, attempt < settings.transactionAttempts, !Task.isCancelled else { throw error }
                logger.warning(
                    "Pages lost with an aborted transaction; starting the cycle again from the last durable checkpoint",
                    metadata: [LoggingKeys.attempt: "\(attempt)", LoggingKeys.error: "\(error)"])
            }
        }
        let now = settings.now()
        lastSuccess.record(now.timeIntervalSince1970)
        recordLag(now: now)
        return outcome
    }

    private func recordLag(now: Date) {
        if let lag = StreamerMetrics.lag(of: checkpoint, now: now) { checkpointLag.record(lag) }
    }

    // MARK: Page budget

    /// Reserves room for a page about to be requested: twice the largest page read so far (until it is decoded,
    /// a page is its response body and span map as well as its events), or half the budget before the first.
    /// Returns the reservation (`nil` without a budget).
    func reservePage() async -> PageBudget.Ticket? {
        guard let budget = settings.pageBudget else { return nil }
        guard let largestPage else { return await budget.reserve(budget.limit / 2, ages: false) }
        return await budget.reserve(largestPage * 2)
    }

    /// Turns a page's reservation into its real size, `bytes`, once it is decoded.
    func heldPage(bytes: Int, reserved: PageBudget.Ticket?) async {
        largestPage = max(largestPage ?? 0, bytes)
        if let reserved { await settings.pageBudget?.arrived(reserved, bytes: bytes) }
    }

    /// Gives back a reservation whose request brought no page.
    func abandon(_ reserved: PageBudget.Ticket?) async {
        if let reserved { await settings.pageBudget?.abandon(reserved) }
    }

    // MARK: Publishing

    /// The event key of a row key (compact JSON object): as is, or with `organization_id` first in the shared
    /// topic layout.
    func eventKey(_ rowKey: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard let prefix = settings.eventKeyPrefix, rowKey.count > 2 else { return rowKey }
        return (prefix + rowKey.dropFirst())[...]
    }

    /// Hands a page to the publisher with the checkpoint after it and waits until both are durable.
    func publish(_ records: [KafkaRecord], checkpoint next: TableCheckpoint) async throws(StreamerError) {
        let page = stage(records, checkpoint: next)
        try await publisher.publish(page)
        markDurable(page.sequence, checkpoint: next)
    }

    /// Makes `next` the working checkpoint and numbers the page that carries it: pages are staged in the order
    /// their checkpoints were computed, which is the order the publisher makes them durable.
    func stage(_ records: [KafkaRecord], checkpoint next: TableCheckpoint) -> PublishedPage {
        working = next
        let sequence = nextSequence
        nextSequence += 1
        return PublishedPage(
            source: source, sequence: sequence, records: records, checkpoint: Self.checkpointRecord(next, settings: settings))
    }

    /// Records that the page `sequence`, whose checkpoint is `next`, is durable (with every earlier page).
    func markDurable(_ sequence: UInt64, checkpoint next: TableCheckpoint) {
        if let durable = durableSequence, durable >= sequence { return }
        durableSequence = sequence
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

