import Logging
import Testing

@testable import Streamer

/// The units of one assignment wait at one fence until the checkpoint topic is stable: every transaction open on
/// it at assignment (a crashed previous owner's) has ended. Offsets come from a script, since librdkafka's mock
/// cluster always answers the log end as the last stable offset.
@Suite struct CheckpointFenceTests {
    func fence(_ offsets: ScriptedCheckpointOffsets, limit: Duration = .seconds(3_600)) -> CheckpointFence {
        CheckpointFence(
            offsets: offsets, topic: "streamer.checkpoints", limit: limit, initialBackoff: .milliseconds(1),
            maximumBackoff: .milliseconds(5), metrics: CheckpointFence.Metrics(), logger: Logger(label: "fence"))
    }

    @Test("a unit passes only once the LSO has reached the end seen at assignment, however many readings that takes")
    func passesOnceStable() async throws {
        let offsets = ScriptedCheckpointOffsets(ends: [0: 10, 1: 4], stable: [[0: 3, 1: 4], [0: 7, 1: 4], [0: 10, 1: 4]])
        try await fence(offsets).pass()
        #expect(await offsets.stableReadings == 3, "two readings behind, the third stable")
        #expect(await offsets.endReadings == 1)
    }

    @Test("one wait serves every unit of the assignment: the end offsets are read once")
    func oneWaitForAllUnits() async throws {
        let offsets = ScriptedCheckpointOffsets(ends: [0: 10], stable: [[0: 2], [0: 5], [0: 9], [0: 10]])
        let fence = fence(offsets)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<20 { group.addTask { try await fence.pass() } }
            try await group.waitForAll()
        }
        #expect(await offsets.endReadings == 1)
        #expect(await offsets.stableReadings == 4, "not one series of readings per unit")
    }

    @Test("once the topic was seen stable, a unit restarting after a failure passes without reading again")
    func stableIsRemembered() async throws {
        let offsets = ScriptedCheckpointOffsets(ends: [0: 10], stable: [[0: 10]])
        let fence = fence(offsets)
        try await fence.pass()
        try await fence.pass()
        #expect(await offsets.endReadings == 1)
        #expect(await offsets.stableReadings == 1)
    }

    @Test("past the limit with a transaction still open it fails, naming the partition and its offsets; the next pass waits afresh")
    func givesUp() async throws {
        let offsets = ScriptedCheckpointOffsets(ends: [0: 10, 1: 4], stable: [[0: 6, 1: 4]])
        let fence = fence(offsets, limit: .zero)
        let error = await #expect(throws: StreamerError.self) { try await fence.pass() }
        #expect(error?.code == .kafka)
        #expect(error?.reason.contains("'streamer.checkpoints' is still not stable") == true)
        #expect(error?.reason.contains("0: 6 < 10") == true, "\(error?.reason ?? "")")
        #expect(error?.reason.contains("1:") == false, "partition 1 was stable")
        await #expect(throws: StreamerError.self) { try await fence.pass() }
        #expect(await offsets.endReadings == 2, "a new wait reads the end offsets of its own time")
    }

    @Test("a failure to read the offsets fails the waiting units; the next pass starts a new wait")
    func readFailure() async throws {
        let offsets = ScriptedCheckpointOffsets(ends: [0: 10], stable: [[0: 10]], failFirstEndReading: true)
        let fence = fence(offsets)
        let error = await #expect(throws: StreamerError.self) { try await fence.pass() }
        #expect(error?.code == .brokersUnreachable)
        try await fence.pass()
        #expect(await offsets.endReadings == 2)
    }

    @Test("a unit stopped while waiting stops at once; with no unit left the wait stops, and the next unit waits afresh")
    func stoppedUnitLeaves() async throws {
        let offsets = ScriptedCheckpointOffsets(ends: [0: 10], stable: [[0: 3]])
        let fence = fence(offsets)
        var readings = offsets.readings.makeAsyncIterator()
        let unit = Task { try await fence.pass() }
        _ = await readings.next()  // the wait has begun and found partition 0 behind
        unit.cancel()
        await #expect(throws: StreamerError.self) { try await unit.value }

        let next = Task { try await fence.pass() }
        while let wait = await readings.next(), wait < 2 {}  // a reading of the old wait still under way is skipped
        #expect(await offsets.endReadings == 2, "the stopped wait is not reused: its end offsets are old")
        next.cancel()
        await #expect(throws: StreamerError.self) { try await next.value }
    }

    @Test("a unit already stopped when it arrives does not wait")
    func cancelledBeforeArriving() async throws {
        let offsets = ScriptedCheckpointOffsets(ends: [0: 10], stable: [[0: 3]])
        let fence = fence(offsets)
        let unit = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await fence.pass()
        }
        await #expect(throws: StreamerError.self) { try await unit.value }
        #expect(await offsets.endReadings == 0)
    }
}

/// Checkpoint-topic offsets from a script: fixed end offsets, then one LSO reading after another (the last
/// repeated); every LSO reading is announced on ``readings`` with the number of end readings before it (which
/// wait it belongs to).
actor ScriptedCheckpointOffsets: CheckpointOffsets {
    private let scriptedEnds: [Int32: Int64]
    private var script: [[Int32: Int64]]
    private var failNextEndReading: Bool
    private(set) var endReadings = 0
    private(set) var stableReadings = 0
    nonisolated let readings: AsyncStream<Int>
    private let announce: AsyncStream<Int>.Continuation

    init(ends: [Int32: Int64], stable: [[Int32: Int64]], failFirstEndReading: Bool = false) {
        self.scriptedEnds = ends
        self.script = stable
        self.failNextEndReading = failFirstEndReading
        (readings, announce) = AsyncStream.makeStream(of: Int.self)
    }

    func ends() async throws(StreamerError) -> [Int32: Int64] {
        endReadings += 1
        if failNextEndReading {
            failNextEndReading = false
            throw StreamerError(code: .brokersUnreachable, reason: "no broker answered")
        }
        return scriptedEnds
    }

    func stable() async throws(StreamerError) -> [Int32: Int64] {
        stableReadings += 1
        defer { announce.yield(endReadings) }
        return script.count > 1 ? script.removeFirst() : script.first ?? [:]
    }

    /// Holds the LSO of every partition at `offsets` from the next reading on.
    func release(to offsets: [Int32: Int64]) {
        script = [offsets]
    }
}
