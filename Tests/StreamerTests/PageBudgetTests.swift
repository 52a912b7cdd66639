import Testing

@testable import Streamer

/// The bound on the bytes of pages a streamer holds at once (`--max-buffered-mib`).
@Suite struct PageBudgetTests {
    /// Waits, without a clock, until `budget` has `count` reservations waiting.
    func untilWaiting(_ budget: PageBudget, _ count: Int) async {
        while await budget.waiting < count { await Task.yield() }
    }

    @Test("reservations that fit are granted at once and counted until released")
    func fitsAtOnce() async {
        let budget = PageBudget(limit: 100)
        await budget.reserve(60)
        await budget.reserve(40)
        #expect(await budget.inUse == 100)
        await budget.release(60)
        #expect(await budget.inUse == 40)
    }

    @Test("a reservation that does not fit waits until a release makes room")
    func waitsForRoom() async {
        let budget = PageBudget(limit: 100)
        await budget.reserve(80)
        let waiter = Task { await budget.reserve(30) }
        await untilWaiting(budget, 1)
        #expect(await budget.inUse == 80)
        await budget.release(80)
        await waiter.value
        #expect(await budget.inUse == 30)
        #expect(await budget.waiting == 0)
    }

    @Test("a page's real size corrects its estimate; a smaller page lets a waiter in")
    func adjustCorrectsTheEstimate() async {
        let budget = PageBudget(limit: 100)
        await budget.reserve(70)
        let waiter = Task { await budget.reserve(50) }
        await untilWaiting(budget, 1)
        await budget.adjust(by: 20)  // the page was 90 bytes, not 70
        #expect(await budget.waiting == 1)
        await budget.adjust(by: -50)  // ...then it was 40
        await waiter.value
        #expect(await budget.inUse == 90)
    }

    @Test("a page larger than the whole budget is granted when nothing else is held, and only then")
    func oversizedPageGoesAlone() async {
        let budget = PageBudget(limit: 100)
        await budget.reserve(500)
        #expect(await budget.inUse == 500)
        let waiter = Task { await budget.reserve(500) }
        await untilWaiting(budget, 1)
        await budget.release(500)
        await waiter.value
        #expect(await budget.inUse == 500)
    }

    @Test("waiters are served in order: a small reservation does not overtake a large one")
    func firstComeFirstServed() async {
        let budget = PageBudget(limit: 100)
        await budget.reserve(90)
        let large = Task { await budget.reserve(60) }
        await untilWaiting(budget, 1)
        let small = Task { await budget.reserve(5) }  // would fit now, but waits behind the large one
        await untilWaiting(budget, 2)
        #expect(await budget.inUse == 90)
        await budget.release(90)
        await large.value
        await small.value
        #expect(await budget.inUse == 65)
    }

    @Test("a cancelled waiter stops waiting and holds its bytes, which its caller then releases")
    func cancelledWaiterHoldsItsBytes() async {
        let budget = PageBudget(limit: 100)
        await budget.reserve(100)
        let waiter = Task { await budget.reserve(40) }
        await untilWaiting(budget, 1)
        waiter.cancel()
        await waiter.value
        #expect(await budget.waiting == 0)
        #expect(await budget.inUse == 140)
        await budget.release(40)
        await budget.release(100)
        #expect(await budget.inUse == 0)
    }

    @Test("the process-wide count of waiting reservations follows every budget's waiters, granted or cancelled")
    func countsWaitersAcrossBudgets() async {
        let waiters = BudgetWaiters()
        let first = PageBudget(limit: 100, waiters: waiters)
        let second = PageBudget(limit: 100, waiters: waiters)
        await first.reserve(100)
        await second.reserve(100)
        #expect(!waiters.any)
        let granted = Task { await first.reserve(10) }
        let cancelled = Task { await second.reserve(10) }
        await untilWaiting(first, 1)
        await untilWaiting(second, 1)
        #expect(waiters.any)
        await first.release(100)
        await granted.value
        #expect(waiters.any)  // the second budget's waiter still waits
        cancelled.cancel()
        await cancelled.value
        #expect(!waiters.any)
    }
}
