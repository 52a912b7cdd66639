import Testing

@testable import Streamer

/// A unit's new owner reads the unit's checkpoint only once every transaction open on the checkpoint topic at
/// assignment has ended: each partition's last stable offset (LSO) has reached its end offset then.
@Suite struct StableOffsetWaitTests {
    /// Ends at assignment: partition 0 held a transaction still open (records up to 12), partition 1 did not.
    let wait = StableOffsetWait(ends: [0: 12, 1: 7], limit: .seconds(90))

    @Test("it proceeds when every partition's LSO has reached its end at assignment")
    func proceedsWhenStable() {
        #expect(wait.decide(stable: [0: 12, 1: 7], elapsed: .zero, readings: 0) == .proceed)
    }

    @Test("an LSO beyond the end at assignment (later transactions committed since) proceeds too")
    func proceedsPastTheEnd() {
        #expect(wait.decide(stable: [0: 40, 1: 9], elapsed: .seconds(3), readings: 4) == .proceed)
    }

    @Test("it waits while a partition's LSO is below its end at assignment: an earlier transaction is still open")
    func waitsWhileBehind() {
        #expect(wait.decide(stable: [0: 9, 1: 7], elapsed: .zero, readings: 0) == .wait(.milliseconds(100)))
        #expect(wait.behind([0: 9, 1: 7]) == [0: StableOffsetWait.Lag(stable: 9, end: 12)])
    }

    @Test("a partition the reading has no answer for counts as behind: nothing says its transactions ended")
    func missingPartitionIsBehind() {
        #expect(wait.behind([0: 12]) == [1: StableOffsetWait.Lag(stable: nil, end: 7)])
        #expect(wait.decide(stable: [0: 12], elapsed: .zero, readings: 0) == .wait(.milliseconds(100)))
    }

    @Test("a partition added since the assignment does not hold the wait: it held no transaction then")
    func newPartitionIgnored() {
        #expect(wait.decide(stable: [0: 12, 1: 7, 2: 0], elapsed: .zero, readings: 0) == .proceed)
    }

    @Test("a checkpoint topic that was missing or empty at assignment needs no wait")
    func nothingToWaitFor() {
        let empty = StableOffsetWait(ends: [:], limit: .seconds(90))
        #expect(empty.decide(stable: [:], elapsed: .zero, readings: 0) == .proceed)
        let emptyPartitions = StableOffsetWait(ends: [0: 0, 1: 0], limit: .seconds(90))
        #expect(emptyPartitions.decide(stable: [0: 0, 1: 0], elapsed: .zero, readings: 0) == .proceed)
    }

    @Test("once the limit has passed with a partition still behind it gives up, naming the partition and its offsets")
    func givesUpAtTheLimit() {
        let decision = wait.decide(stable: [0: 9, 1: 7], elapsed: .seconds(90), readings: 60)
        #expect(decision == .giveUp(behind: [0: StableOffsetWait.Lag(stable: 9, end: 12)]))
        #expect(StableOffsetWait.Lag(stable: 9, end: 12).description == "9 < 12")
        #expect(StableOffsetWait.Lag(stable: nil, end: 12).description == "unknown < 12")
    }

    @Test("reaching the end at the limit still proceeds: giving up is only for a topic still behind")
    func stableAtTheLimitProceeds() {
        #expect(wait.decide(stable: [0: 12, 1: 7], elapsed: .seconds(600), readings: 99) == .proceed)
    }

    @Test(
        "the pause between readings starts at 100 ms and doubles up to 2 s",
        arguments: [
            (0, Duration.milliseconds(100)), (1, .milliseconds(200)), (2, .milliseconds(400)), (4, .milliseconds(1_600)),
            (5, .seconds(2)), (60, .seconds(2)), (Int.max, .seconds(2)), (-1, .milliseconds(100)),
        ])
    func backoff(readings: Int, pause: Duration) {
        #expect(wait.backoff(after: readings) == pause)
    }

    @Test("a pause never runs past the limit, so the wait gives up on time")
    func pauseCappedByLimit() {
        #expect(wait.decide(stable: [0: 9, 1: 7], elapsed: .milliseconds(89_500), readings: 30) == .wait(.milliseconds(500)))
    }

    @Test("the limit is the transaction timeout plus the 30 s the broker may take to abort an expired transaction")
    func limitFromTransactionTimeout() {
        #expect(StableOffsetWait.limit(transactionTimeout: .seconds(60)) == .seconds(90))
    }
}
