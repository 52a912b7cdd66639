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
    /// Tombstones (and their state tombstones) per transaction when a large deletion is carried out.
    static let deletionBatch = 5_000

    /// Takes a snapshot and publishes what changed since consumers last heard: new and changed rows as upserts,
    /// rows that disappeared as tombstones. Each row's state record goes into the same transaction as its event,
    /// so the row state (``RowState``) always says what consumers hold. The first snapshot, and every one with
    /// `resnapshot`, emits every row.
    ///
    /// There is no durable progress inside a listing: a restart lists again, and the rows the interrupted pass
    /// already published match their state and are not repeated. Deletions are decided only when a listing is
    /// complete, and a mass deletion is held (``DeletionGuard``) until later listings confirm it.
    func runSnapshotCycle() async throws(StreamerError) -> CycleOutcome {
        let now = settings.now()
        if !settings.resnapshot || didResnapshot, let last = checkpoint.snapshot?.lastCompletedAt,
            now.timeIntervalSince(last) < settings.snapshotInterval.seconds
        {
            var outcome = CycleOutcome()
            outcome.wasSkipped = true
            return outcome
        }
        let emitAll = settings.resnapshot && !didResnapshot
        var seen = Set<String>()
        var outcome = CycleOutcome()
        // `/v1/organizations/me` is a listing of one page of one row.
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
            try await publishSnapshotPage(page.rows, seen: &seen, emitAll: emitAll, outcome: &outcome)
        }
        try await completeSnapshot(seen: seen, outcome: &outcome)
        didResnapshot = didResnapshot || emitAll
        return outcome
    }

    /// Publishes a page's new and changed rows, each with its state record. A page with nothing to publish
    /// writes nothing: the listing keeps no durable progress.
    private func publishSnapshotPage(
        _ rows: [EncodedRow], seen: inout Set<String>, emitAll: Bool, outcome: inout CycleOutcome
    ) async throws(StreamerError) {
        let fetchedAt = settings.now()
        var records: [KafkaRecord] = []
        var changes: [(key: String, fingerprint: UInt64)] = []
        let headers = StreamerEvent.headers(
            table: table, organizationID: settings.organizationID, operation: .upsert, fetchedAt: fetchedAt)
        for row in rows {
            let keyBytes = row.key
            let valueBytes = row.value
            let key = String(decoding: keyBytes, as: UTF8.self)
            let fingerprint = Fingerprint.value(of: valueBytes)
            // A key listed twice in one listing (pages shifted under it) is published once per version.
            let isFirstSighting = seen.insert(key).inserted
            if rowState.fingerprintValue(forKey: key) == fingerprint, !emitAll || !isFirstSighting { continue }
            records.append(KafkaRecord(topic: settings.topic, key: eventKey(keyBytes), value: valueBytes, headers: headers))
            records.append(rowState.upsertRecord(key: key, fingerprint: Fingerprint.hex(fingerprint)))
            changes.append((key, fingerprint))
        }
        if !records.isEmpty {
            var next = checkpoint
            next.updatedAt = fetchedAt
            try await publish(records, checkpoint: next)
            for change in changes { rowState.setValue(change.fingerprint, forKey: change.key) }
        }
        rowsFetched.increment(by: rows.count)
        eventsProduced.increment(by: changes.count)
        await settings.progress?.published(table, rows: rows.count, daysDone: 0)
        outcome.rowsFetched += rows.count
        outcome.eventsPublished += changes.count
        outcome.pages += 1
    }

    /// The listing is complete: what consumers hold and it did not return is gone, unless that is a mass
    /// deletion still to be confirmed. Writes the checkpoint (a heartbeat even when nothing changed).
    private func completeSnapshot(seen: Set<String>, outcome: inout CycleOutcome) async throws(StreamerError) {
        let completedAt = settings.now()
        let gone = rowState.keys.filter { !seen.contains($0) }.sorted()
        var snapshot = checkpoint.snapshot ?? .empty
        let decision =
            gone.isEmpty
            ? .carryOut
            : settings.deletionGuard.decide(
                deleting: gone, liveRows: rowState.count, held: snapshot.heldDeletion, now: completedAt)
        var deletions: ArraySlice<String> = []
        switch decision {
        case .carryOut:
            deletions = gone[...]
            snapshot.heldDeletion = nil
        case .hold(let held):
            snapshot.heldDeletion = held
            deletionsHeld.increment()
            outcome.deletionsHeld = held.rows
            logger.warning(
                "Mass deletion held: the listing lacks many rows consumers hold; it is carried out only when the next listings agree (--confirm-deletes)",
                metadata: [
                    LoggingKeys.deletions: "\(held.rows)", LoggingKeys.rows: "\(held.liveRows)",
                    LoggingKeys.listings: "\(held.listings)/\(settings.deletionGuard.confirmations)",
                ])
        }
        snapshot.generation += 1
        snapshot.lastCompletedAt = completedAt
        snapshot.lastRowCount = seen.count
        var final = checkpoint
        final.snapshot = snapshot
        final.updatedAt = completedAt

        let headers = StreamerEvent.headers(
            table: table, organizationID: settings.organizationID, operation: .delete, fetchedAt: completedAt)
        repeat {
            let batch = deletions.prefix(Self.deletionBatch)
            deletions = deletions.dropFirst(batch.count)
            var records: [KafkaRecord] = []
            records.reserveCapacity(batch.count * 2)
            for key in batch {
                records.append(KafkaRecord(topic: settings.topic, key: eventKey(Array(key.utf8)[...]), value: nil, headers: headers))
                records.append(rowState.tombstoneRecord(key: key))
            }
            var next = checkpoint
            next.updatedAt = completedAt
            try await publish(records, checkpoint: deletions.isEmpty ? final : next)
            for key in batch { rowState.remove(key: key) }
            eventsProduced.increment(by: batch.count)
            outcome.eventsPublished += batch.count
            outcome.deletes += batch.count
        } while !deletions.isEmpty
    }
}
