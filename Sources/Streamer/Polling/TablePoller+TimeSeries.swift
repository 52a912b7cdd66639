import AdminClient
import Kafka
import Logging
import Metrics

import struct Foundation.Date

extension TablePoller {
    func runTimeSeriesCycle() async throws(StreamerError) -> CycleOutcome {
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
}
