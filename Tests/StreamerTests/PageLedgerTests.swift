import Testing

@testable import Streamer

@Suite struct PageLedgerTests {
    @Test("pages of a source are admitted in sequence order; an early page waits for its predecessor")
    func ordersPages() {
        var ledger = PageLedger<Int>()
        _ = ledger.beginCycle(source: "o/users", firstSequence: 10)
        guard case .parked = ledger.admit(12, source: "o/users", sequence: 12) else {
            Issue.record("page 12 should wait for 10 and 11")
            return
        }
        guard case .accepted(let first) = ledger.admit(10, source: "o/users", sequence: 10) else {
            Issue.record("page 10 should be admitted")
            return
        }
        #expect(first == [10])
        guard case .accepted(let rest) = ledger.admit(11, source: "o/users", sequence: 11) else {
            Issue.record("page 11 should be admitted")
            return
        }
        #expect(rest == [11, 12])
    }

    @Test("a poisoned source's later pages are refused until it begins a new cycle")
    func poisonUntilNewCycle() {
        var ledger = PageLedger<Int>()
        _ = ledger.beginCycle(source: "o/users", firstSequence: 0)
        _ = ledger.admit(0, source: "o/users", sequence: 0)
        #expect(ledger.admit(2, source: "o/users", sequence: 2).isParked)
        let dropped = ledger.poison(["o/users"])
        #expect(dropped == [2])
        #expect(ledger.admit(1, source: "o/users", sequence: 1).isRefused)
        #expect(ledger.admit(0, source: "o/invites", sequence: 0).isAccepted)
        _ = ledger.beginCycle(source: "o/users", firstSequence: 3)
        #expect(ledger.admit(3, source: "o/users", sequence: 3).isAccepted)
    }

    @Test("a sequence number already used is refused")
    func refusesRepeats() {
        var ledger = PageLedger<Int>()
        _ = ledger.beginCycle(source: "o/users", firstSequence: 0)
        _ = ledger.admit(0, source: "o/users", sequence: 0)
        #expect(ledger.admit(0, source: "o/users", sequence: 0).isRefused)
    }
}

extension PageLedger.Admission {
    var isAccepted: Bool { if case .accepted = self { true } else { false } }
    var isParked: Bool { if case .parked = self { true } else { false } }
    var isRefused: Bool { if case .refused = self { true } else { false } }
}
