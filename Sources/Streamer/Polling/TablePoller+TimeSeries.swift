import AdminClient
import Kafka
import Logging
import Metrics

import struct Foundation.Date

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
    /// requested while the current one is published; it is used only once the current one is durable.
    private func runSeries(_ query: TimeSeriesPlan.Query, lastFinal: CalendarDay) async -> Result<CycleOutcome, StreamerError> {
        let resumeToken = working.inProgress.first { $0.start == query.start && $0.end == query.end }?.nextToken
        var iterator = client.pages(table, query: query.tableQuery, resumeToken: resumeToken).makeAsyncIterator()
        var outcome = CycleOutcome()
        var upcoming = await Self.fetch(&iterator)
        while true {
            let page: AdminPage
            switch upcoming {
            case .success(nil):
                return .success(outcome)
            case .success(let fetched?):
                page = fetched
            case .failure(let error):
                logger.warning(
                    "Request series failed; it will be retried next cycle from the last checkpoint",
                    metadata: [LoggingKeys.window: "\(query.start)..<\(query.end)", LoggingKeys.error: "\(error)"])
                return .failure(StreamerError.admin(error, table: table))
            }
            let (records, next) = makePage(page, query: query, lastFinal: lastFinal)
            let staged = stage(records, checkpoint: next)
            let endsSeries = page.nextToken == nil
            async let published = publishResult(staged)
            upcoming = endsSeries ? .success(nil) : await Self.fetch(&iterator)
            if case .failure(let error) = await published { return .failure(error) }
            markDurable(staged.sequence, checkpoint: next)
            rowsFetched.increment(by: page.encodedRows.count)
            eventsProduced.increment(by: records.count)
            await settings.progress?.published(table, rows: page.encodedRows.count, daysDone: endsSeries ? query.days.count : 0)
            outcome.rowsFetched += page.encodedRows.count
            outcome.eventsPublished += records.count
            outcome.pages += 1
            logger.debug(
                "Page published",
                metadata: [
                    LoggingKeys.window: "\(query.start)..<\(query.end)", LoggingKeys.page: "\(page.index)",
                    LoggingKeys.rows: "\(page.encodedRows.count)", LoggingKeys.events: "\(records.count)",
                ])
        }
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

    private func publishResult(_ page: PublishedPage) async -> Result<Void, StreamerError> {
        let result: Result<Void, StreamerError>
        do throws(StreamerError) {
            try await publisher.publish(page)
            result = .success(())
        } catch {
            result = .failure(error)
        }
        return result
    }

    /// A page's events (rows whose value did not change since they were fingerprinted are left out) and the
    /// working checkpoint after it.
    private func makePage(
        _ page: AdminPage, query: TimeSeriesPlan.Query, lastFinal: CalendarDay
    ) -> (records: [KafkaRecord], checkpoint: TableCheckpoint) {
        let fetchedAt = settings.now()
        var next = working
        var records: [KafkaRecord] = []
        records.reserveCapacity(page.encodedRows.count)
        // Every event of a page has the same headers (table, organization, upsert, fetch time): build them once.
        let headers = StreamerEvent.headers(
            table: table, organizationID: settings.organizationID, operation: .upsert, fetchedAt: fetchedAt)
        for row in page.encodedRows {
            let keyBytes = row.key
            let valueBytes = row.value
            let day = row.day ?? query.start
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
        var series = next.inProgress.filter { $0.start != query.start || $0.end != query.end }
        if let token = page.nextToken {
            series.append(.init(start: query.start, end: query.end, nextToken: token))
        } else {
            for day in query.days where day <= lastFinal {
                next.published.insert(day: day)
                next.pendingFingerprints[day] = nil
            }
        }
        next.inProgress = series
        // Days that settled since they were fingerprinted and are already published need no prints.
        for day in next.pendingFingerprints.keys where next.published.covers(day) {
            next.pendingFingerprints[day] = nil
        }
        next.updatedAt = fetchedAt
        return (records, next)
    }
}
