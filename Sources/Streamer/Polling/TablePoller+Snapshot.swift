import AdminClient
import Kafka
import Logging
import Metrics

import struct Foundation.Date

extension TablePoller {
    /// Takes a snapshot and publishes what changed since the last one: new and changed rows as upserts, rows
    /// that disappeared as tombstones. The first snapshot, and every one with `resnapshot`, emits every row.
    /// Progress is checkpointed with every page, so a restart neither repeats rows nor invents deletes.
    func runSnapshotCycle() async throws(StreamerError) -> CycleOutcome {
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
            try await publishSnapshotPage([EncodedRow(row)], state: &state, emitAll: emitAll, outcome: &outcome)
        } else {
            var iterator = client.pages(table, query: .snapshot).makeAsyncIterator()
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
                try await publishSnapshotPage(page.encodedRows, state: &state, emitAll: emitAll, outcome: &outcome)
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
        _ rows: [EncodedRow], state: inout TableCheckpoint.Snapshot, emitAll: Bool, outcome: inout CycleOutcome
    ) async throws(StreamerError) {
        let fetchedAt = settings.now()
        var records: [KafkaRecord] = []
        var pending = state.pending ?? [:]
        let headers = StreamerEvent.headers(
            table: table, organizationID: settings.organizationID, operation: .upsert, fetchedAt: fetchedAt)
        for row in rows {
            let keyBytes = row.key
            let valueBytes = row.value
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
}
