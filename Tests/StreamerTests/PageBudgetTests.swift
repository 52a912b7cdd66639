import Synchronization
import Testing

@testable import Streamer

/// The bound on the bytes of pages a streamer holds at once (`--max-buffered-mib`).
@Suite struct PageBudgetTests {
    /// Waits, without a clock, until `budget` has `count` reservations waiting.
    func untilWaiting(_ budget: PageBudget, _ count: Int) async {
        while await budget.waiting < count { await Task.yield() }
    }

    /// A clock the test moves by hand.
    final class ManualClock: Sendable {
        private let instant = Mutex(ContinuousClock.now)
        var now: ContinuousClock.Instant { instant.withLock { $0 } }
        func advance(by duration: Duration) { instant.withLock { $0 = $0 + duration } }
    }

    /// A budget whose unanswered requests never grow old, unless the test moves `clock`.
    func budget(_ limit: Int, clock: ManualClock = ManualClock(), waiters: BudgetWaiters? = nil) -> PageBudget {
        PageBudget(limit: limit, waiters: waiters, networkGrace: .milliseconds(100), now: { clock.now })
    }

    /// Reserves `bytes` and marks its page arrived at that size: held until released.
    func hold(_ budget: PageBudget, _ bytes: Int) async {
        let ticket = await budget.reserve(bytes)
        await budget.arrived(ticket, bytes: bytes)
    }

    @Test("reservations that fit are granted at once and counted until released")
    func fitsAtOnce() async {
        let budget = budget(100)
        await hold(budget, 60)
        await hold(budget, 40)
        #expect(await budget.inUse == 100)
        await budget.release(60)
        #expect(await budget.inUse == 40)
    }

    @Test("a reservation that does not fit waits until a release makes room")
    func waitsForRoom() async {
        let budget = budget(100)
        await hold(budget, 80)
        let waiter = Task { await budget.reserve(30) }
        await untilWaiting(budget, 1)
        #expect(await budget.inUse == 80)
        await budget.release(80)
        _ = await waiter.value
        #expect(await budget.inUse == 30)
        #expect(await budget.waiting == 0)
    }

    @Test("a page's real size replaces its estimate; a smaller page lets a waiter in")
    func arrivalCorrectsTheEstimate() async {
        let budget = budget(100)
        let first = await budget.reserve(70)
        let waiter = Task { await budget.reserve(50) }
        await untilWaiting(budget, 1)
        await budget.arrived(first, bytes: 40)  // the page was 40 bytes, not 70
        _ = await waiter.value
        #expect(await budget.inUse == 90)
    }

    @Test("a request that brings no page gives its reservation back")
    func abandonedRequestGivesBack() async {
        let budget = budget(100)
        let ticket = await budget.reserve(100)
        let waiter = Task { await budget.reserve(60) }
        await untilWaiting(budget, 1)
        await budget.abandon(ticket)
        _ = await waiter.value
        #expect(await budget.inUse == 60)
    }

    @Test("a page larger than the whole budget is granted when nothing else is held, and only then")
    func oversizedPageGoesAlone() async {
        let budget = budget(100)
        await hold(budget, 500)
        #expect(await budget.inUse == 500)
        let waiter = Task { await budget.reserve(500) }
        await untilWaiting(budget, 1)
        await budget.release(500)
        _ = await waiter.value
        #expect(await budget.inUse == 500)
    }

    @Test("waiters are served in order: a small reservation does not overtake a large one")
    func firstComeFirstServed() async {
        let budget = budget(100)
        await hold(budget, 90)
        let large = Task { await budget.reserve(60) }
        await untilWaiting(budget, 1)
        let small = Task { await budget.reserve(5) }  // would fit now, but waits behind the large one
        await untilWaiting(budget, 2)
        #expect(await budget.inUse == 90)
        await budget.release(90)
        _ = await large.value
        _ = await small.value
        #expect(await budget.inUse == 65)
    }

    @Test("a cancelled waiter stops waiting and holds its bytes, which its caller then gives back")
    func cancelledWaiterHoldsItsBytes() async {
        let budget = budget(100)
        await hold(budget, 100)
        let waiter = Task { await budget.reserve(40) }
        await untilWaiting(budget, 1)
        waiter.cancel()
        let ticket = await waiter.value
        #expect(await budget.waiting == 0)
        #expect(await budget.inUse == 140)
        await budget.abandon(ticket)
        await budget.release(100)
        #expect(await budget.inUse == 0)
    }

    @Test("a request unanswered for longer than the grace stops counting: a waiter gets in while it is still out")
    func slowRequestsStopCounting() async {
        let clock = ManualClock()
        let budget = budget(100, clock: clock)
        let slow = await budget.reserve(80)
        let waiter = Task { await budget.reserve(50) }
        await untilWaiting(budget, 1)
        clock.advance(by: .milliseconds(99))
        await budget.recheck()
        #expect(await budget.waiting == 1)  // still within the grace: it counts
        clock.advance(by: .milliseconds(1))
        await budget.recheck()
        let second = await waiter.value
        #expect(await budget.inUse == 130)  // both reserved; only the young one counts
        await budget.arrived(second, bytes: 50)
        await budget.arrived(slow, bytes: 80)  // it arrives: its page counts again
        let third = Task { await budget.reserve(10) }
        await untilWaiting(budget, 1)
        clock.advance(by: .seconds(1))
        await budget.recheck()
        #expect(await budget.waiting == 1)  // pages that arrived do not grow old
        await budget.release(80)
        _ = await third.value
        #expect(await budget.inUse == 60)
    }

    @Test("a guess made before any page was seen counts until its page arrives, however long the request takes")
    func firstGuessesDoNotAge() async {
        let clock = ManualClock()
        let budget = budget(100, clock: clock)
        let guess = await budget.reserve(80, ages: false)
        let waiter = Task { await budget.reserve(50) }
        await untilWaiting(budget, 1)
        clock.advance(by: .seconds(10))
        await budget.recheck()
        #expect(await budget.waiting == 1)
        await budget.arrived(guess, bytes: 30)  // the page arrives, smaller than guessed: the waiter fits
        _ = await waiter.value
        #expect(await budget.inUse == 80)
    }

    @Test(
        "the grace is checked again on its own: a waiter behind a slow request needs no other event",
        .timeLimit(.minutes(1)))
    func recheckIsScheduled() async {
        let budget = PageBudget(limit: 100, networkGrace: .milliseconds(5))
        _ = await budget.reserve(100)
        let granted = await budget.reserve(10)  // granted once the first is 5 ms old, with no release
        #expect(granted.bytes == 10)
        #expect(await budget.inUse == 110)
    }

    @Test("the process-wide count of waiting reservations follows every budget's waiters, granted or cancelled")
    func countsWaitersAcrossBudgets() async {
        let waiters = BudgetWaiters()
        let first = budget(100, waiters: waiters)
        let second = budget(100, waiters: waiters)
        await hold(first, 100)
        await hold(second, 100)
        #expect(!waiters.any)
        let granted = Task { await first.reserve(10) }
        let cancelled = Task { await second.reserve(10) }
        await untilWaiting(first, 1)
        await untilWaiting(second, 1)
        #expect(waiters.any)
        await first.release(100)
        _ = await granted.value
        #expect(waiters.any)  // the second budget's waiter still waits
        cancelled.cancel()
        _ = await cancelled.value
        #expect(!waiters.any)
    }
}
