import AdminClient
import Kafka
import Logging
import Metrics

import struct Foundation.Date

/// Polls one table of one organization and publishes what it finds, page by page, each page with the
/// checkpoint that covers it.
actor TablePoller {
    let table: AdminTable
    private let definition: TableDefinition
    private let client: AdminClient
    private let publisher: any EventPublisher
    private let settings: PollerSettings
    private let logger: Logger
    private let rowsFetched: Counter
    private let eventsProduced: Counter
    private let lastSuccess: Gauge
    private let checkpointLag: Gauge

    /// The checkpoint as last published.
    private(set) var checkpoint: TableCheckpoint
    /// `true` once this process re-emitted a full snapshot for `--resnapshot`.
    private var didResnapshot = false

    init(
        table: AdminTable, client: AdminClient, publisher: any EventPublisher, settings: PollerSettings,
        checkpoint: TableCheckpoint?, logger: Logger
    ) {
        self.table = table
        self.definition = client.definition(for: table)  // usage_report: its configured grouping
        self.client = client
        self.publisher = publisher
        self.settings = settings
        self.checkpoint =
            checkpoint ?? TableCheckpoint(table: table, organizationID: settings.organizationID, updatedAt: settings.now())
        var logger = logger
        logger[metadataKey: LoggingKeys.table] = "\(table.name)"
        self.logger = logger
        let dimensions = [(MetricLabels.tableDimension, table.name)]
        self.rowsFetched = Counter(label: MetricLabels.rowsFetched, dimensions: dimensions)
        self.eventsProduced = Counter(label: MetricLabels.eventsProduced, dimensions: dimensions)
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

    // MARK: Time tables

    private func runTimeSeriesCycle() async throws(StreamerError) -> CycleOutcome {
        let today = CalendarDay(containing: settings.now())
        let lastFinal = today.adding(days: -settings.settleDays)
        let first = settings.explicitStart ?? checkpoint.nextDay ?? settings.defaultStart
        let last = min(settings.explicitEnd ?? today, today)
        let plan = TimeSeriesPlan(kind: definition.cursorKind, first: first, last: last, published: checkpoint.published)
        await settings.progress?.planned(table, days: plan.queries.reduce(0) { $0 + $1.days.count })
        // Only the first request series can resume: every published page rewrites `inProgress` (or clears it when
        // its series ends), so it never names a later series of this plan.
        var resumeToken: String? = nil
        if let inProgress = checkpoint.inProgress, let query = plan.queries.first, inProgress.start == query.start,
            inProgress.end == query.end
        {
            resumeToken = inProgress.nextToken
        }
        var cursor = PageCursor(client: client, table: table, queries: plan.queries, resumeToken: resumeToken)
        var keyGuard = KeyCollisionGuard(table: table)  // no two rows of one series under one key
        var outcome = CycleOutcome()
        var upcoming = await cursor.next()
        while true {
            let query: TimeSeriesPlan.Query
            let page: AdminPage
            switch upcoming {
            case .success(nil):
                return outcome
            case .success(let fetched?):
                (query, page) = fetched
            case .failure(let failure):
                logger.warning(
                    "Request series failed; it will be retried next cycle from the last checkpoint",
                    metadata: [
                        LoggingKeys.window: "\(failure.query.start)..<\(failure.query.end)",
                        LoggingKeys.error: "\(failure.error)",
                    ])
                throw StreamerError.admin(failure.error, table: table)
            }
            try keyGuard.admit(page.rows, series: "\(query.start)..<\(query.end)")
            let (records, next) = makePage(page, query: query, lastFinal: lastFinal)
            // The next page (of this series or the next one) is requested and decoded while this one is published:
            // the Admin API and Kafka round trips overlap. It is used only once this page and its checkpoint are
            // durable, and its failure is reported only then, so pages and checkpoints advance exactly as one at a
            // time. As before, a cancelled cycle stops between request series.
            let eventCount = records.count
            let endsSeries = page.nextToken == nil
            async let published = publishResult(records, checkpoint: next)
            upcoming = await cursor.next()
            try await published.get()
            rowsFetched.increment(by: page.rows.count)
            eventsProduced.increment(by: eventCount)
            await settings.progress?.published(table, rows: page.rows.count, daysDone: endsSeries ? query.days.count : 0)
            outcome.rowsFetched += page.rows.count
            outcome.eventsPublished += eventCount
            outcome.pages += 1
            logger.debug(
                "Page published",
                metadata: [
                    LoggingKeys.window: "\(query.start)..<\(query.end)", LoggingKeys.page: "\(page.index)",
                    LoggingKeys.rows: "\(page.rows.count)", LoggingKeys.events: "\(eventCount)",
                ])
            if endsSeries, Task.isCancelled { return outcome }
        }
    }

    /// A page's events (rows whose value did not change since they were fingerprinted are left out) and the
    /// checkpoint that covers it.
    private func makePage(
        _ page: AdminPage, query: TimeSeriesPlan.Query, lastFinal: CalendarDay
    ) -> (records: [KafkaRecord], checkpoint: TableCheckpoint) {
        let dayColumn = definition.keyColumns[0]
        let fetchedAt = settings.now()
        var next = checkpoint
        var records: [KafkaRecord] = []
        records.reserveCapacity(page.rows.count)
        // Every event of a page has the same headers (table, organization, upsert, fetch time): build them once.
        let headers = StreamerEvent.headers(
            table: table, organizationID: settings.organizationID, operation: .upsert, fetchedAt: fetchedAt)
        for row in page.rows {
            let event = StreamerEvent(row: row, organizationID: settings.organizationID, fetchedAt: fetchedAt)
            let keyBytes = event.keyBytes
            let valueBytes = event.valueBytes ?? []
            let day = row[dayColumn]?.stringValue.flatMap(CalendarDay.init(prefixOf:)) ?? query.start
            // Fingerprints matter only for days still settling or with prints from an earlier cycle; a
            // backfill of final days skips hashing every byte twice.
            if day > lastFinal || next.pendingFingerprints[day] != nil {
                let keyPrint = Fingerprint.of(keyBytes)
                let valuePrint = Fingerprint.of(valueBytes)
                if next.pendingFingerprints[day]?[keyPrint] == valuePrint { continue }
                if day > lastFinal {
                    next.pendingFingerprints[day, default: [:]][keyPrint] = valuePrint
                }
            }
            records.append(KafkaRecord(topic: settings.topic, key: keyBytes, value: valueBytes, headers: headers))
        }
        if let token = page.nextToken {
            next.inProgress = .init(start: query.start, end: query.end, nextToken: token)
        } else {
            next.inProgress = nil
            for day in query.days where day <= lastFinal {
                next.published.insert(day: day)
                next.pendingFingerprints[day] = nil
            }
        }
        // Days that settled since they were fingerprinted and are already published need no prints.
        for day in next.pendingFingerprints.keys where next.published.covers(day) {
            next.pendingFingerprints[day] = nil
        }
        next.updatedAt = fetchedAt
        return (records, next)
    }

    private func publishResult(_ records: [KafkaRecord], checkpoint next: TableCheckpoint) async -> Result<Void, StreamerError> {
        let result: Result<Void, StreamerError>
        do throws(StreamerError) {
            try await publish(records, checkpoint: next)
            result = .success(())
        } catch {
            result = .failure(error)
        }
        return result
    }

    // MARK: State tables

    /// Takes a snapshot and publishes what changed since the last one: new and changed rows as upserts, rows
    /// that disappeared as tombstones. The first snapshot, and every one with `resnapshot`, emits every row.
    /// Progress is checkpointed with every page, so a restart neither repeats rows nor invents deletes.
    private func runSnapshotCycle() async throws(StreamerError) -> CycleOutcome {
        let now = settings.now()
        var state = checkpoint.snapshot ?? .empty
        if !settings.resnapshot || didResnapshot, state.startedAt == nil, let last = state.lastCompletedAt,
            now.timeIntervalSince(last) < settings.snapshotInterval.seconds
        {
            var outcome = CycleOutcome()
            outcome.wasSkipped = true
            return outcome
        }
        if state.startedAt == nil || state.pending == nil {
            state.startedAt = now
            state.pending = [:]
        }
        let emitAll = settings.resnapshot && !didResnapshot
        var outcome = CycleOutcome()
        if table == .organization {
            let row: AdminRow
            do {
                row = try await client.organization()
            } catch {
                throw StreamerError.admin(error, table: table)
            }
            try await publishSnapshotPage([row], state: &state, emitAll: emitAll, outcome: &outcome)
        } else {
            var iterator = client.pages(table, query: .snapshot).makeAsyncIterator()
            var keyGuard = KeyCollisionGuard(table: table)  // no two rows of one listing under one key
            while true {
                let page: AdminPage?
                do {
                    page = try await iterator.next()
                } catch {
                    logger.warning(
                        "Snapshot failed; it will be retried next cycle", metadata: [LoggingKeys.error: "\(error)"])
                    throw StreamerError.admin(error, table: table)
                }
                guard let page else { break }
                try keyGuard.admit(page.rows, series: "snapshot")
                try await publishSnapshotPage(page.rows, state: &state, emitAll: emitAll, outcome: &outcome)
            }
        }
        // Complete: what the last snapshot had and this one has not is gone.
        let seen = state.pending ?? [:]
        let fetchedAt = settings.now()
        var tombstones: [KafkaRecord] = []
        for key in state.rows.keys.sorted() where seen[key] == nil {
            tombstones.append(
                KafkaRecord(
                    topic: settings.topic, key: Array(key.utf8), value: nil,
                    headers: StreamerEvent.headers(table: table, organizationID: settings.organizationID, operation: .delete, fetchedAt: fetchedAt)))
        }
        var next = checkpoint
        next.snapshot = .init(lastCompletedAt: fetchedAt, startedAt: nil, lastRowCount: seen.count, rows: seen, pending: nil)
        next.updatedAt = fetchedAt
        try await publish(tombstones, checkpoint: next)
        eventsProduced.increment(by: tombstones.count)
        outcome.eventsPublished += tombstones.count
        outcome.deletes = tombstones.count
        didResnapshot = didResnapshot || emitAll
        return outcome
    }

    private func publishSnapshotPage(
        _ rows: [AdminRow], state: inout TableCheckpoint.Snapshot, emitAll: Bool, outcome: inout CycleOutcome
    ) async throws(StreamerError) {
        let fetchedAt = settings.now()
        var records: [KafkaRecord] = []
        var pending = state.pending ?? [:]
        let headers = StreamerEvent.headers(
            table: table, organizationID: settings.organizationID, operation: .upsert, fetchedAt: fetchedAt)
        for row in rows {
            let event = StreamerEvent(row: row, organizationID: settings.organizationID, fetchedAt: fetchedAt)
            let keyBytes = event.keyBytes
            let valueBytes = event.valueBytes ?? []
            let key = String(decoding: keyBytes, as: UTF8.self)
            let print = Fingerprint.of(valueBytes)
            if pending[key] == print { continue }  // already handled by this snapshot before a restart
            pending[key] = print
            if !emitAll, state.rows[key] == print { continue }  // unchanged since the last snapshot
            records.append(KafkaRecord(topic: settings.topic, key: keyBytes, value: valueBytes, headers: headers))
        }
        var next = checkpoint
        var nextState = state
        nextState.pending = pending
        next.snapshot = nextState
        next.updatedAt = fetchedAt
        try await publish(records, checkpoint: next)
        state = nextState
        rowsFetched.increment(by: rows.count)
        eventsProduced.increment(by: records.count)
        await settings.progress?.published(table, rows: rows.count, daysDone: 0)
        outcome.rowsFetched += rows.count
        outcome.eventsPublished += records.count
        outcome.pages += 1
    }

    // MARK: Publishing

    private func publish(_ records: [KafkaRecord], checkpoint next: TableCheckpoint) async throws(StreamerError) {
        let key = TableCheckpoint.key(organizationID: settings.organizationID, table: table)
        let checkpointRecord = KafkaRecord(
            topic: settings.checkpointTopic, key: Array(key.utf8), value: CheckpointCodec.encode(next),
            headers: [KafkaHeader(name: "content-type", value: Array("application/json".utf8))])
        try await publisher.publish(records, checkpoint: checkpointRecord)
        checkpoint = next
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

// MARK: - Reading the series

/// The pages of a time table's request series, one series after the other: what a cycle reads, in order.
private struct PageCursor {
    /// A request series that failed, and why.
    struct Failure: Error {
        let query: TimeSeriesPlan.Query
        let error: AdminClientError
    }

    private let client: AdminClient
    private let table: AdminTable
    private let queries: [TimeSeriesPlan.Query]
    private var resumeToken: String?
    private var index = 0
    private var iterator: AdminPageSequence.AsyncIterator?

    /// - Parameter resumeToken: continues the first series after a checkpointed page.
    init(client: AdminClient, table: AdminTable, queries: [TimeSeriesPlan.Query], resumeToken: String?) {
        self.client = client
        self.table = table
        self.queries = queries
        self.resumeToken = resumeToken
    }

    /// The next page and its series; `nil` after the last page of the last series.
    mutating func next() async -> Result<(query: TimeSeriesPlan.Query, page: AdminPage)?, Failure> {
        while index < queries.count {
            let query = queries[index]
            if iterator == nil {
                iterator = client.pages(table, query: query.tableQuery, resumeToken: resumeToken).makeAsyncIterator()
                resumeToken = nil
            }
            let page: AdminPage?
            do throws(AdminClientError) {
                page = try await iterator?.next()
            } catch {
                return .failure(Failure(query: query, error: error))
            }
            if let page { return .success((query, page)) }
            iterator = nil
            index += 1
        }
        return .success(nil)
    }
}
