import Foundation
import Testing

@testable import Streamer

/// Mass deletions are held until consecutive listings agree; small ones go through at once.
@Suite struct DeletionGuardTests {
    let now = Date(timeIntervalSince1970: 1_750_000_000)
    let guardian = DeletionGuard()

    func keys(_ count: Int, from start: Int = 0) -> [String] { (start..<(start + count)).map { #"{"id":"u\#($0)"}"# } }

    @Test("a single deletion is carried out at once, whatever the table's size", arguments: [1, 2, 100, 100_000])
    func singleDeletion(liveRows: Int) {
        #expect(guardian.decide(deleting: keys(1), liveRows: liveRows, held: nil, now: now) == .carryOut)
    }

    @Test("five rows are never a mass deletion, even all of a table's rows")
    func fiveRows() {
        #expect(guardian.decide(deleting: keys(5), liveRows: 5, held: nil, now: now) == .carryOut)
    }

    @Test("more than 5 rows but at most 20 % is carried out")
    func underRatio() {
        #expect(guardian.decide(deleting: keys(20), liveRows: 100, held: nil, now: now) == .carryOut)
    }

    @Test("more than 20 % and more than 5 rows is held, counting one listing")
    func held() throws {
        guard case .hold(let held) = guardian.decide(deleting: keys(21), liveRows: 100, held: nil, now: now) else {
            Issue.record("expected the deletion to be held")
            return
        }
        #expect(held.rows == 21)
        #expect(held.liveRows == 100)
        #expect(held.listings == 1)
        #expect(held.firstHeldAt == now)
    }

    @Test("an empty listing after a full one is held")
    func emptyListing() {
        let decision = guardian.decide(deleting: keys(12), liveRows: 12, held: nil, now: now)
        #expect(decision != .carryOut)
    }

    @Test("the second agreeing listing carries the deletion out (default --confirm-deletes 2)")
    func confirmed() throws {
        guard case .hold(let first) = guardian.decide(deleting: keys(50), liveRows: 100, held: nil, now: now) else {
            Issue.record("expected a hold")
            return
        }
        #expect(guardian.decide(deleting: keys(50).reversed(), liveRows: 100, held: first, now: now + 300) == .carryOut)
    }

    @Test("a listing proposing another deletion starts the count again")
    func disagreeing() throws {
        guard case .hold(let first) = guardian.decide(deleting: keys(50), liveRows: 100, held: nil, now: now) else {
            Issue.record("expected a hold")
            return
        }
        guard case .hold(let second) = guardian.decide(deleting: keys(50, from: 1), liveRows: 100, held: first, now: now + 300)
        else {
            Issue.record("expected a hold")
            return
        }
        #expect(second.listings == 1)
        #expect(second.firstHeldAt == now + 300)
        #expect(second.digest != first.digest)
    }

    @Test("--confirm-deletes 3 needs three agreeing listings; 1 turns the guard off")
    func confirmations() throws {
        let strict = DeletionGuard(ratio: 0.2, minimumRows: 5, confirmations: 3)
        var held: HeldDeletion? = nil
        for listing in 1...2 {
            guard case .hold(let next) = strict.decide(deleting: keys(60), liveRows: 100, held: held, now: now) else {
                Issue.record("listing \(listing) should be held")
                return
            }
            #expect(next.listings == listing)
            held = next
        }
        #expect(strict.decide(deleting: keys(60), liveRows: 100, held: held, now: now) == .carryOut)
        let off = DeletionGuard(ratio: 0.2, minimumRows: 5, confirmations: 1)
        #expect(off.decide(deleting: keys(60), liveRows: 100, held: nil, now: now) == .carryOut)
    }
}
