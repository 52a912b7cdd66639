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
    /// order, each page handed to the publisher with the checkpoint after it (docs/architecture.md §1.1). A failed
    /// series stops new ones from starting; the others finish; the first failure is thrown.
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
        let (outcome, failure) = await withTaskGroup(
            of: Result<CycleOutcome, StreamerError>.self, returning: (CycleOutcome, StreamerError?).self
        ) { group in
            var outcome = CycleOutcome()
            var failure: StreamerError? = nil
            var started = 0
            while started < min(width, queries.count) {
                let query = queries[started]
                group.addTask { await self.runSeries(query, lastFinal: lastFinal) }
                started += 1
            }
            for await result in group {
                switch result {
                case .success(let done): outcome.add(done)
                case .failure(let error): if failure == nil { failure = error }
                }
                if failure == nil, !Task.isCancelled, started < queries.count {
                    let query = queries[started]
                    group.addTask { await self.runSeries(query, lastFinal: lastFinal) }
                    started += 1
                }
            }
            return (outcome, failure)
        }
        if let failure { throw failure }
        return outcome
    }

    /// Reads one request series, resuming after its checkpointed page when it was interrupted. The next page is
    /// requested while the current one is published; it is used only once the current one is durable. Each page
    /// holds its bytes in the streamer's ``PageBudget`` from before its request until it is durable or lost.
    private func runSeries(_ query: TimeSeriesPlan.Query, lastFinal: CalendarDay) async -> Result<CycleOutcome, StreamerError> {
        let resumeToken = working.inProgress.first { $0.start == query.start && $0.end == query.end }?.nextToken
        var iterator = client.pages(table, query: query.tableQuery, resumeToken: resumeToken).makeAsyncIterator()
        var outcome = CycleOutcome()
        var keyGuard = KeyCollisionGuard(table: table)  // no two rows of one series under one key
        var reserved = await reservePage()
        var upcoming = await Self.fetch(&iterator)
        while true {
            var fetched: AdminPage?
            switch upcoming {
            case .success(let page):
                fetched = page
            case .failure(let error):
                await settings.pageBudget?.release(reserved)
                // Shutdown cancelled the request: what was published is checkpointed; the series resumes next time.
                if Task.isCancelled { return .success(outcome) }
                logger.warning(
                    "Request series failed; it will be retried next cycle from the last checkpoint",
                    metadata: [LoggingKeys.window: "\(query.start)..<\(query.end)", LoggingKeys.error: "\(error)"])
                return .failure(StreamerError.admin(error, table: table))
            }
            upcoming = .success(nil)  // `fetched` holds the page alone, so it is freed once published
            guard let page = fetched else {
                await settings.pageBudget?.release(reserved)
                return .success(outcome)
            }
            let bytes = Self.bytes(of: page.rows)
            await heldPage(bytes: bytes, reserved: reserved)
            do throws(StreamerError) {
                try keyGuard.admit(page.rows, series: "\(query.start)..<\(query.end)")
            } catch {
                await settings.pageBudget?.release(bytes)
                return .failure(error)
            }
            let (records, next, changes) = makePage(page, query: query, lastFinal: lastFinal)
            let rows = page.rows.count
            let index = page.index
            let endsSeries = page.nextToken == nil
            let events = records.count - changes.set.count - changes.removed.count
            // From here on the page's bytes live only in the records handed to the publisher.
            fetched = nil
            _ = consume page
            let staged = stage(consume records, checkpoint: next)
            let sequence = staged.sequence
            // Consumed: only the publishing child holds the page, so it is freed once durable.
            async let published = publishResult(consume staged, releasing: bytes)
            if endsSeries {
                upcoming = .success(nil)
                reserved = 0
            } else {
                reserved = await reservePage()
                upcoming = await Self.fetch(&iterator)
            }
            if case .failure(let error) = await published {
                await settings.pageBudget?.release(reserved)
                // At shutdown a page may miss the last transaction: it is not durable, and its checkpoint neither.
                return Task.isCancelled ? .success(outcome) : .failure(error)
            }
            markDurable(sequence, checkpoint: next)
            apply(changes)
            rowsFetched.increment(by: rows)
            eventsProduced.increment(by: events)
            await settings.progress?.published(table, rows: rows, daysDone: endsSeries ? query.days.count : 0)
            outcome.rowsFetched += rows
            outcome.eventsPublished += events
            outcome.pages += 1
            logger.debug(
                "Page published",
                metadata: [
                    LoggingKeys.window: "\(query.start)..<\(query.end)", LoggingKeys.page: "\(index)",
                    LoggingKeys.rows: "\(rows)", LoggingKeys.events: "\(events)",
                ])
        }
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

    /// Publishes `page`, then gives its `bytes` back to the budget, durable or not.
    private func publishResult(_ page: consuming PublishedPage, releasing bytes: Int) async -> Result<Void, StreamerError> {
        var result: Result<Void, StreamerError> = .success(())
        do throws(StreamerError) {
            try await publisher.publish(page)
        } catch {
            result = .failure(error)
        }
        await settings.pageBudget?.release(bytes)
        return result
    }

    /// What a page changes in the row state, applied once the page is durable (a page of a series is staged only
    /// after the previous one is durable, and two series never share a day, so nothing else reads it meanwhile).
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
