import Kafka
import Logging
import Testing

@testable import Streamer

@Suite struct TransactionCoordinatorTests {
    private func page(_ source: String, _ sequence: UInt64, events: Int = 2) -> PublishedPage {
        PublishedPage(
            source: source, sequence: sequence,
            records: (0..<events).map { KafkaRecord(topic: "events", key: Array("\(source)-\(sequence)-\($0)".utf8), value: []) },
            checkpoint: KafkaRecord(topic: "checkpoints", key: Array(source.utf8), value: Array("\(source)@\(sequence)".utf8)))
    }

    /// Runs `body` while the coordinator runs, then stops it.
    private func withRunning(
        _ coordinator: TransactionCoordinator, _ body: @Sendable () async throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await coordinator.run() }
            try await body()
            group.cancelAll()
        }
    }

    @Test("pages that arrive while a transaction's records are in flight join it: one commit, newest checkpoint per source")
    func batchesPages() async throws {
        let sink = RecordingSink()
        await sink.hold()
        let coordinator = TransactionCoordinator(
            sink: sink, policy: CommitPolicy(interval: .seconds(60)), logger: Logger(label: "test"))
        try await withRunning(coordinator) {
            await coordinator.beginCycle(source: "org/a", firstSequence: 0)
            await coordinator.beginCycle(source: "org/b", firstSequence: 0)
            try await withThrowingTaskGroup(of: Void.self) { pages in
                for sequence in UInt64(0)..<5 {
                    pages.addTask { try await coordinator.publish(self.page("org/a", sequence)) }
                    pages.addTask { try await coordinator.publish(self.page("org/b", sequence)) }
                }
                await sink.waitForSends(10)
                await sink.release()
                try await pages.waitForAll()
            }
        }
        let calls = await sink.calls
        #expect(calls.filter { $0 == "begin" }.count == 1)
        #expect(calls.filter { $0 == "commit" }.count == 1)
        let checkpoints = await sink.records.filter { $0.topic == "checkpoints" }
        #expect(checkpoints.map { String(decoding: $0.value ?? [], as: UTF8.self) }.sorted() == ["org/a@4", "org/b@4"])
        #expect(await sink.records.filter { $0.topic == "events" }.count == 20)
    }

    @Test("while a page waits for room its budget's deliveries are freeing, the open transaction waits for it")
    func waitsForPagesWaitingForRoom() async throws {
        let sink = RecordingSink()
        let coordinator = TransactionCoordinator(
            sink: sink, policy: CommitPolicy(interval: .seconds(60)), logger: Logger(label: "test"))
        try await withRunning(coordinator) {
            await coordinator.beginCycle(source: "org/a", firstSequence: 0)
            coordinator.budgetWaiters.began()  // the next page's reservation waits for room
            let first = await coordinator.submit(self.page("org/a", 0))
            // The first page is enqueued and the inbox is empty: with no page waiting it would commit now.
            while await !coordinator.holdsEnqueuedTransaction, await !sink.calls.contains("commit") {
                await Task.yield()
            }
            #expect(await !sink.calls.contains("commit"))
            coordinator.budgetWaiters.ended()  // the deliveries made room: the page comes
            try await coordinator.publish(self.page("org/a", 1))
            try await first.wait()
        }
        let calls = await sink.calls
        #expect(calls.filter { $0 == "begin" }.count == 1)
        #expect(calls.filter { $0 == "commit" }.count == 1)
        let checkpoints = await sink.records.filter { $0.topic == "checkpoints" }
        #expect(checkpoints.map { String(decoding: $0.value ?? [], as: UTF8.self) } == ["org/a@1"])
    }

    @Test("an aborted transaction fails its pages and refuses its source's later pages until a new cycle; other sources go on")
    func abortPoisonsSource() async throws {
        let sink = RecordingSink()
        await sink.failNextCommits(1)
        let coordinator = TransactionCoordinator(sink: sink, logger: Logger(label: "test"))
        try await withRunning(coordinator) {
            await coordinator.beginCycle(source: "org/a", firstSequence: 0)
            await coordinator.beginCycle(source: "org/b", firstSequence: 0)
            await #expect(throws: StreamerError.self) { try await coordinator.publish(self.page("org/a", 0)) }
            await #expect(throws: StreamerError.self) { try await coordinator.publish(self.page("org/a", 1)) }
            try await coordinator.publish(self.page("org/b", 0))
            await coordinator.beginCycle(source: "org/a", firstSequence: 2)
            try await coordinator.publish(self.page("org/a", 2))
        }
        let calls = await sink.calls
        #expect(calls.contains("abort"))
        #expect(calls.filter { $0 == "commit" }.count == 2)
        let checkpoints = await sink.records.filter { $0.topic == "checkpoints" }.map {
            String(decoding: $0.value ?? [], as: UTF8.self)
        }
        // The aborted transaction's checkpoint was sent inside it; the ones that count came after.
        #expect(checkpoints.suffix(2) == ["org/b@0", "org/a@2"])
    }

    @Test(
        "a source's page queued behind a transaction that aborts fails with it: its checkpoint, which covers the lost page, is never committed",
        .timeLimit(.minutes(1)))
    func abortFailsPagesQueuedBehindIt() async throws {
        let sink = RecordingSink()
        await sink.hold()
        await sink.failNextCommits(1)
        var policy = CommitPolicy(interval: .seconds(60))
        policy.maximumRecords = 2  // one page fills a transaction
        let coordinator = TransactionCoordinator(sink: sink, policy: policy, logger: Logger(label: "test"))
        try await withRunning(coordinator) {
            await coordinator.beginCycle(source: "org/a", firstSequence: 0)
            await coordinator.beginCycle(source: "org/b", firstSequence: 0)
            try await withThrowingTaskGroup(of: (String, Bool).self) { pages in
                pages.addTask { ("org/a@0", (try? await coordinator.publish(self.page("org/a", 0))) != nil) }
                await sink.waitForSends(1)  // org/a@0 fills the first transaction; its records are held
                pages.addTask { ("org/a@1", (try? await coordinator.publish(self.page("org/a", 1))) != nil) }
                pages.addTask { ("org/b@0", (try? await coordinator.publish(self.page("org/b", 0))) != nil) }
                try await eventually("both pages wait for the next transaction", timeout: .seconds(30)) {
                    await coordinator.pagesQueued == 2
                }
                await sink.release()
                var durable: [String: Bool] = [:]
                for try await (name, wasDurable) in pages { durable[name] = wasDurable }
                #expect(durable == ["org/a@0": false, "org/a@1": false, "org/b@0": true])
            }
            await #expect(throws: StreamerError.self) { try await coordinator.publish(self.page("org/a", 2)) }
        }
        #expect(
            await sink.calls == ["begin", "produce", "produce", "commit-failed", "abort", "begin", "produce", "produce", "commit"])
        let checkpoints = await sink.records.filter { $0.topic == "checkpoints" }.map {
            String(decoding: $0.value ?? [], as: UTF8.self)
        }
        #expect(checkpoints == ["org/a@0", "org/b@0"], "org/a@1's checkpoint never reaches a transaction")
    }

    @Test("at-least-once: no transaction, and a checkpoint is produced only after the events it covers")
    func atLeastOnce() async throws {
        let sink = RecordingSink(isTransactional: false)
        let coordinator = TransactionCoordinator(sink: sink, logger: Logger(label: "test"))
        try await withRunning(coordinator) {
            await coordinator.beginCycle(source: "org/a", firstSequence: 0)
            try await coordinator.publish(self.page("org/a", 0, events: 3))
        }
        #expect(await sink.calls == ["send", "send"])
        #expect(await sink.records.map(\.topic) == ["events", "events", "events", "checkpoints"])
    }

    @Test(
        "exactly-once: a page's records and the checkpoints are produced into the transaction without an acknowledgement round trip, then committed")
    func checkpointsRideTheCommit() async throws {
        let sink = RecordingSink()
        let coordinator = TransactionCoordinator(sink: sink, logger: Logger(label: "test"))
        try await withRunning(coordinator) {
            await coordinator.beginCycle(source: "org/a", firstSequence: 0)
            try await coordinator.publish(self.page("org/a", 0, events: 3))
        }
        #expect(await sink.calls == ["begin", "produce", "produce", "commit"])
        #expect(await sink.records.map(\.topic) == ["events", "events", "events", "checkpoints"])
    }

    @Test(
        "exactly-once: a submitted page's records are let go once produced, while its transaction's commit still waits",
        .timeLimit(.minutes(1)))
    func releasesRecordsBeforeCommit() async throws {
        let sink = RecordingSink()
        let coordinator = TransactionCoordinator(sink: sink, logger: Logger(label: "test"))
        // The offsets step runs just before the commit: it holds the commit until the gate opens.
        let (gate, opener) = AsyncStream.makeStream(of: Void.self)
        await coordinator.commitOffsets { _ in for await _ in gate {} }
        let (released, signal) = AsyncStream.makeStream(of: Void.self)
        try await withRunning(coordinator) {
            await coordinator.beginCycle(source: "org/a", firstSequence: 0)
            let receipt = await coordinator.submit(self.page("org/a", 0))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await receipt.wait { signal.yield() } }
                var releases = released.makeAsyncIterator()
                _ = await releases.next()  // waits for ever (time limit) if the records were held until the commit
                #expect(await !sink.calls.contains("commit"))
                opener.finish()
                try await group.waitForAll()
            }
        }
        #expect(await sink.calls == ["begin", "produce", "produce", "commit"])
    }

    @Test(
        "at-least-once: a page's records go out while an earlier checkpoint write is unacknowledged",
        .timeLimit(.minutes(1)))
    func atLeastOncePipelines() async throws {
        let sink = RecordingSink(isTransactional: false)
        await sink.hold { $0.first?.topic == "checkpoints" }
        let coordinator = TransactionCoordinator(sink: sink, logger: Logger(label: "test"))
        try await withRunning(coordinator) {
            await coordinator.beginCycle(source: "org/a", firstSequence: 0)
            try await withThrowingTaskGroup(of: Void.self) { pages in
                pages.addTask { try await coordinator.publish(self.page("org/a", 0)) }
                await sink.waitForSends(2)  // page 0's records, then its checkpoint (held)
                pages.addTask { try await coordinator.publish(self.page("org/a", 1)) }
                await sink.waitForSends(3)  // page 1's records, while page 0's checkpoint is still held
                await sink.release()
                try await pages.waitForAll()
            }
        }
        let checkpoints = await sink.records.filter { $0.topic == "checkpoints" }.map {
            String(decoding: $0.value ?? [], as: UTF8.self)
        }
        #expect(checkpoints == ["org/a@0", "org/a@1"])
    }

    @Test(
        "at-least-once: a source's pages become durable while another source's records are unacknowledged",
        .timeLimit(.minutes(1)))
    func atLeastOnceSourcesDoNotWait() async throws {
        let sink = RecordingSink(isTransactional: false)
        await sink.hold { $0.first?.topic == "events" && $0.first?.key?.starts(with: Array("org/b".utf8)) == true }
        let coordinator = TransactionCoordinator(sink: sink, logger: Logger(label: "test"))
        try await withRunning(coordinator) {
            await coordinator.beginCycle(source: "org/a", firstSequence: 0)
            await coordinator.beginCycle(source: "org/b", firstSequence: 0)
            try await withThrowingTaskGroup(of: Void.self) { pages in
                pages.addTask { try await coordinator.publish(self.page("org/b", 0)) }
                await sink.waitForSends(1)
                try await coordinator.publish(self.page("org/a", 0))
                try await coordinator.publish(self.page("org/a", 1))
                await sink.release()
                try await pages.waitForAll()
            }
        }
        let checkpoints = await sink.records.filter { $0.topic == "checkpoints" }.map {
            String(decoding: $0.value ?? [], as: UTF8.self)
        }
        #expect(checkpoints.filter { $0.hasPrefix("org/a") }.last == "org/a@1")
        #expect(checkpoints.last == "org/b@0", "org/b's checkpoint waited for its own records only")
    }

    @Test("at-least-once: a page whose records fail fails with its source's later pages; the source waits for a new cycle")
    func atLeastOnceFailure() async throws {
        let sink = RecordingSink(isTransactional: false)
        await sink.fail { $0.first?.key == ArraySlice("org/a-1-0".utf8) }
        let coordinator = TransactionCoordinator(sink: sink, logger: Logger(label: "test"))
        try await withRunning(coordinator) {
            await coordinator.beginCycle(source: "org/a", firstSequence: 0)
            await coordinator.beginCycle(source: "org/b", firstSequence: 0)
            try await coordinator.publish(self.page("org/a", 0))
            await #expect(throws: StreamerError.self) { try await coordinator.publish(self.page("org/a", 1)) }
            await #expect(throws: StreamerError.self) { try await coordinator.publish(self.page("org/a", 2)) }
            try await coordinator.publish(self.page("org/b", 0))
            await coordinator.beginCycle(source: "org/a", firstSequence: 3)
            try await coordinator.publish(self.page("org/a", 3))
        }
        let checkpoints = await sink.records.filter { $0.topic == "checkpoints" }.map {
            String(decoding: $0.value ?? [], as: UTF8.self)
        }
        #expect(checkpoints == ["org/a@0", "org/b@0", "org/a@3"], "no checkpoint covers the failed page")
    }

    @Test("every transaction commits its sources' offsets (scale-out's group fencing) just before the commit")
    func offsetsStep() async throws {
        let sink = RecordingSink()
        let coordinator = TransactionCoordinator(sink: sink, logger: Logger(label: "test"))
        let seen = SourcesSeen()
        await coordinator.commitOffsets { sources in await seen.add(sources) }
        try await withRunning(coordinator) {
            await coordinator.beginCycle(source: "org/a", firstSequence: 0)
            try await coordinator.publish(self.page("org/a", 0))
        }
        #expect(await seen.all == [["org/a"]])
    }

    @Test("revoking a source aborts the open transaction holding its pages and refuses its later pages")
    func revokeAborts() async throws {
        let sink = RecordingSink()
        await sink.hold()
        let coordinator = TransactionCoordinator(
            sink: sink, policy: CommitPolicy(interval: .seconds(60)), logger: Logger(label: "test"))
        try await withRunning(coordinator) {
            await coordinator.beginCycle(source: "org/a", firstSequence: 0)
            await coordinator.beginCycle(source: "org/b", firstSequence: 0)
            try await withThrowingTaskGroup(of: Bool.self) { pages in
                pages.addTask { (try? await coordinator.publish(self.page("org/a", 0))) != nil }
                pages.addTask { (try? await coordinator.publish(self.page("org/b", 0))) != nil }
                await sink.waitForSends(2)
                await coordinator.revoke(sources: ["org/a"])
                await sink.release()
                var durable = 0
                for try await wasDurable in pages where wasDurable { durable += 1 }
                #expect(durable == 0, "both pages were in the aborted transaction")
            }
            await #expect(throws: StreamerError.self) { try await coordinator.publish(self.page("org/a", 1)) }
            await coordinator.beginCycle(source: "org/b", firstSequence: 1)
            try await coordinator.publish(self.page("org/b", 1))
        }
        let calls = await sink.calls
        #expect(calls.contains("abort"))
        #expect(calls.filter { $0 == "commit" }.count == 1, "only org/b's retried page committed")
    }

    @Test("a page published after the coordinator stopped fails instead of waiting for ever")
    func stoppedRefuses() async throws {
        let sink = RecordingSink()
        let coordinator = TransactionCoordinator(sink: sink, logger: Logger(label: "test"))
        try await withRunning(coordinator) {}
        await #expect(throws: StreamerError.self) { try await coordinator.publish(self.page("org/a", 0)) }
    }
}

/// Records the sources of each offsets step.
actor SourcesSeen {
    private(set) var all: [Set<String>] = []
    func add(_ sources: Set<String>) { all.append(sources) }
}
