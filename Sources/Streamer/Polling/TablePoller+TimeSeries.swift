import AdminClient
import Kafka
import Logging
import Metrics

#if canImport(FoundationEssentials)
import struct FoundationEssentials.Date
#else
import struct Foundation.Date
#endif

extension TablePoller {
    /// Reads every due request series of a time table, up to `maxConcurrentSeries` at once, pages of one series in
    /// order, each page handed to the publisher with the checkpoint after it (docs/architecture.md §1.1).
    ///
    /// Exactly-once pipelines: a series' slot is free once its last page is *staged*, not once it is durable, so
    /// the next series is fetched, decoded and staged while earlier pages wait for their transaction's commit. What
    /// bounds the pages fetched ahead is their bytes (the ``PageBudget``), not the series; a page gives its bytes
    /// back once its records are delivered (librdkafka reads them in place until then), and only its metadata waits
    /// for the commit. Each staged page's durability is awaited by its own child of one waiting task, which
    /// applies its row-state changes and moves the durable checkpoint once it is durable. A checkpoint staged later
    /// covers the work of every page staged before it; the publisher makes a source's pages durable in staging
    /// order and refuses every later page of a source whose page was lost, until a new cycle, so no checkpoint can
    /// claim a lost page's work.
    ///
    /// A failed series, or a lost page, stops new series from starting; the others finish; the first failure is
    /// thrown.
    func runTimeSeriesCycle() async throws(StreamerError) -> CycleOutcome {
        let today = CalendarDay(containing: settings.now())
        let lastFinal = today.adding(days: -settings.settleDays)
        let first = settings.explicitStart ?? checkpoint.published.first?.start ?? settings.defaultStart
        let last = min(settings.explicitEnd ?? today, today)
        let plan = TimeSeriesPlan(
            kind: definition.cursorKind, first: first, last: last, published: checkpoint.published,
            inProgress: checkpoint.inProgress.map { DayRange(start: $0.start, end: $0.end) })
        await settings.progress?.planned(table, days: plan.queries.reduce(0) { $0 + $1.days.count })
        let queries = plan.queries
        let width = max(1, settings.maxConcurrentSeries)
        pageLost = false
        let (staged, staging) = AsyncStream.makeStream(of: StagedPage.self)
        let (outcome, failure) = await withTaskGroup(
            of: CyclePart.self, returning: (CycleOutcome, StreamerError?).self
        ) { group in
            var outcome = CycleOutcome()
            var failure: StreamerError? = nil
            group.addTask {
                let (done, lost) = await self.awaitDurability(of: staged)
                return .pages(done, lost)
            }
            var started = 0
            var running = 0
            func startSeries() {
                while running < width, started < queries.count, failure == nil, !pageLost, !Task.isCancelled {
                    let query = queries[started]
                    group.addTask { .series(await self.runSeries(query, lastFinal: lastFinal, staging: staging)) }
                    started += 1
                    running += 1
                }
                if running == 0 { staging.finish() }  // no series will stage another page
            }
            startSeries()
            for await part in group {
                switch part {
                case .series(let result):
                    running -= 1
                    if case .failure(let error) = result, failure == nil { failure = error }
                    startSeries()
                case .pages(let done, let lost):
                    outcome.add(done)
                    if let lost, failure == nil { failure = lost }
                }
            }
            return (outcome, failure)
        }
        if let failure { throw failure }
        return outcome
    }

    /// What a child of ``runTimeSeriesCycle()`` reports.
    private enum CyclePart: Sendable {
        /// A series staged its last page (or failed).
        case series(Result<Void, StreamerError>)
        /// Every staged page is durable or lost: what was made durable, and the first loss.
        case pages(CycleOutcome, StreamerError?)
    }

    /// A page handed to the publisher, with what to do once it is durable.
    struct StagedPage: Sendable {
        var page: PublishedPage
        var checkpoint: TableCheckpoint
        var changes: StateChanges
        /// What the page holds in the ``PageBudget``.
        var bytes: Int
        var rows: Int
        var events: Int
        /// The days the page finishes (its series' days when it is the series' last page, else none).
        var daysDone: Int
        var window: String
        var index: Int
    }

    /// Reads one request series, resuming after its checkpointed page when it was interrupted, and stages its
    /// pages into `staging` without waiting for them to be durable. Each page holds its bytes in the streamer's
    /// ``PageBudget`` from before its request until its records are delivered (or it is lost). Returns once its last
    /// page is staged.
    private func runSeries(
        _ query: TimeSeriesPlan.Query, lastFinal: CalendarDay, staging: AsyncStream<StagedPage>.Continuation
    ) async -> Result<Void, StreamerError> {
        let resumeToken = working.inProgress.first { $0.start == query.start && $0.end == query.end }?.nextToken
        var iterator = client.pages(table, query: query.tableQuery, resumeToken: resumeToken).makeAsyncIterator()
        var keyGuard = KeyCollisionGuard(table: table)  // no two rows of one series under one key
        let window = "\(query.start)..<\(query.end)"
        while true {
            // A lost page refuses every later page of this table until the next cycle: fetch no more.
            if pageLost { return .success(()) }
            let reserved = await reservePage()
            let page: AdminPage
            switch await Self.fetch(&iterator) {
            case .success(let fetched?):
                page = fetched
            case .success(nil):
                await abandon(reserved)
                return .success(())
            case .failure(let error):
                await abandon(reserved)
                // Shutdown cancelled the request: what was published is checkpointed; the series resumes next time.
                if Task.isCancelled { return .success(()) }
                logger.warning(
                    "Request series failed; it will be retried next cycle from the last checkpoint",
                    metadata: [LoggingKeys.window: "\(window)", LoggingKeys.error: "\(error)"])
                return .failure(StreamerError.admin(error, table: table))
            }
            let bytes = Self.bytes(of: page.rows)
            await heldPage(bytes: bytes, reserved: reserved)
            do throws(StreamerError) {
                try keyGuard.admit(page.rows, series: window)
            } catch {
                await settings.pageBudget?.release(bytes)
                return .failure(error)
            }
            if pageLost {
                await settings.pageBudget?.release(bytes)
                return .success(())
            }
            let (records, next, changes) = makePage(page, query: query, lastFinal: lastFinal)
            let endsSeries = page.nextToken == nil
            let events = records.count - changes.set.count - changes.removed.count
            let item = StagedPage(
                page: stage(consume records, checkpoint: next), checkpoint: next, changes: changes, bytes: bytes,
                rows: page.rows.count, events: events, daysDone: endsSeries ? query.days.count : 0, window: window,
                index: page.index)
            // From here on the page's bytes live only in the records handed to the publisher.
            _ = consume page
            // Staged and yielded with no suspension between, so the pages handed over have no gap in sequence.
            if case .terminated = staging.yield(consume item) {
                // The waiting task was cancelled (shutdown): the page is not handed over, nor its checkpoint.
                await settings.pageBudget?.release(bytes)
                return .success(())
            }
            if endsSeries { return .success(()) }
        }
    }

    /// Hands every staged page to the publisher as it arrives, in staging order, and awaits each one's durability in
    /// a child of its own, until `staged` ends. The children keep only the pages' metadata: the records go to the
    /// publisher, which lets them go once delivered. Each child adds what it made durable to a tally and ends (a
    /// discarding group frees it then: a backfill of a thousand pages keeps no thousand finished children). Returns
    /// what was made durable and the first page lost.
    private func awaitDurability(of staged: AsyncStream<StagedPage>) async -> (CycleOutcome, StreamerError?) {
        settled = SettledPages()
        await withDiscardingTaskGroup { group in
            for await page in staged {
                var waiting = page
                waiting.page.records = []
                let receipt = await publisher.submit(page.page)
                group.addTask { await self.settle(waiting, receipt: receipt) }
            }
        }
        return (settled.outcome, settled.failure)
    }

    /// Gives a handed-over page's bytes back to the budget once the publisher let go of its records, then, once it
    /// is durable, makes its checkpoint the durable one (unless a later page's already is) and applies its
    /// row-state changes.
    private func settle(_ staged: StagedPage, receipt: PageReceipt) async {
        settled.add(await durability(of: staged, receipt: receipt))
    }

    /// Waits for `staged` (see ``settle(_:receipt:)``): what it made durable, or why it was lost.
    private func durability(of staged: StagedPage, receipt: PageReceipt) async -> Result<CycleOutcome, StreamerError> {
        let sequence = staged.page.sequence
        let (budget, bytes) = (settings.pageBudget, staged.bytes)
        do throws(StreamerError) {
            try await receipt.wait { await budget?.release(bytes) }
        } catch {
            // At shutdown a page may miss the last transaction: it is not durable, and its checkpoint neither.
            if Task.isCancelled { return .success(CycleOutcome()) }
            pageLost = true
            return .failure(error)
        }
        markDurable(sequence, checkpoint: staged.checkpoint)
        apply(staged.changes)
        rowsFetched.increment(by: staged.rows)
        eventsProduced.increment(by: staged.events)
        await settings.progress?.published(table, rows: staged.rows, daysDone: staged.daysDone)
        logger.debug(
            "Page published",
            metadata: [
                LoggingKeys.window: "\(staged.window)", LoggingKeys.page: "\(staged.index)",
                LoggingKeys.rows: "\(staged.rows)", LoggingKeys.events: "\(staged.events)",
            ])
        var outcome = CycleOutcome()
        outcome.rowsFetched = staged.rows
        outcome.eventsPublished = staged.events
        outcome.pages = 1
        return .success(outcome)
    }

    /// The bytes a page's rows hold (keys and values): what it weighs in the ``PageBudget``.
    static func bytes(of rows: [EncodedRow]) -> Int {
        rows.reduce(0) { $0 + $1.key.count + $1.value.count }
    }

    private static func fetch(
        _ iterator: inout AdminPageSequence.AsyncIterator
    ) async -> Result<AdminPage?, AdminClientError> {
        do throws(AdminClientError) {
            let page = try await iterator.next()
            return .success(page)
        } catch {
            return .failure(error)
        }
    }

    /// What a page changes in the row state, applied once the page is durable. Later pages are made before it is
    /// applied, which reads the same: no two rows of a series share a key (``KeyCollisionGuard``), two series never
    /// share a day, and a day is either settling (its keys are set) or final (its earlier cycles' keys are cleared)
    /// for a whole cycle.
    struct StateChanges {
        var set: [(key: String, fingerprint: UInt64)] = []
        var removed: [String] = []
    }

    /// A page's events (rows whose value did not change since they were fingerprinted are left out), its row-state
    /// records and the working checkpoint after it.
    ///
    /// Rows of days still settling are fingerprinted in the state topic (one record per row key, written with the
    /// event), so a later cycle re-emits only the rows that changed; when a series ends, its days that are final
    /// leave the state (tombstones), so the state topic holds only the settle window.
    private func makePage(
        _ page: AdminPage, query: TimeSeriesPlan.Query, lastFinal: CalendarDay
    ) -> (records: [KafkaRecord], checkpoint: TableCheckpoint, changes: StateChanges) {
        let fetchedAt = settings.now()
        var next = working
        var records: [KafkaRecord] = []
        var changes = StateChanges()
        records.reserveCapacity(page.rows.count)
        // Every event of a page has the same headers (table, organization, upsert, fetch time): build them once.
        let headers = StreamerEvent.headers(
            table: table, organizationID: settings.organizationID, operation: .upsert, fetchedAt: fetchedAt)
        for row in page.rows {
            let keyBytes = row.key
            let valueBytes = row.value
            let day = row.day ?? query.start
            // Only days still settling, or with state from an earlier cycle, are compared: a backfill of final
            // days skips hashing every byte.
            if day > lastFinal || stateKeysByDay[day] != nil {
                let key = String(decoding: keyBytes, as: UTF8.self)
                let fingerprint = Fingerprint.value(of: valueBytes)
                if rowState.fingerprintValue(forKey: key) == fingerprint { continue }
                if day > lastFinal {
                    records.append(rowState.upsertRecord(key: key, fingerprint: Fingerprint.hex(fingerprint)))
                    changes.set.append((key, fingerprint))
                }
            }
            records.append(KafkaRecord(topic: settings.topic, key: eventKey(keyBytes), value: valueBytes, headers: headers))
        }
        var series = next.inProgress.filter { $0.start != query.start || $0.end != query.end }
        if let token = page.nextToken {
            series.append(.init(start: query.start, end: query.end, nextToken: token))
        } else {
            for day in query.days where day <= lastFinal {
                next.published.insert(day: day)
                for key in stateKeysByDay[day] ?? [] {
                    records.append(rowState.tombstoneRecord(key: key))
                    changes.removed.append(key)
                }
            }
        }
        next.inProgress = series
        next.updatedAt = fetchedAt
        return (records, next, changes)
    }

    /// Applies a durable page's row-state changes.
    private func apply(_ changes: StateChanges) {
        for (key, fingerprint) in changes.set {
            rowState.setValue(fingerprint, forKey: key)
            if let day = Self.day(ofRowKey: key) { stateKeysByDay[day, default: []].insert(key) }
        }
        for key in changes.removed {
            rowState.remove(key: key)
            if let day = Self.day(ofRowKey: key) {
                stateKeysByDay[day]?.remove(key)
                if stateKeysByDay[day]?.isEmpty == true { stateKeysByDay[day] = nil }
            }
        }
    }

    /// The day a time table's row key starts with: its first field is the row's date or bucket
    /// (`{"date":"2025-09-01T00:00:00Z",…}`).
    static func day(ofRowKey key: String) -> CalendarDay? {
        guard let colon = key.firstIndex(of: ":") else { return nil }
        let value = key[key.index(after: colon)...].drop { $0 == "\"" }
        return CalendarDay(prefixOf: String(value.prefix(10)))
    }

    /// The row-state keys of each day, from the state loaded at start (time tables).
    static func keysByDay(_ state: RowState) -> [CalendarDay: Set<String>] {
        var result: [CalendarDay: Set<String>] = [:]
        for key in state.keys {
            if let day = day(ofRowKey: key) { result[day, default: []].insert(key) }
        }
        return result
    }
}
