import Synchronization

/// How many page reservations wait for room in the ``PageBudget``s of a process: a count the budgets keep and the
/// ``TransactionCoordinator`` reads.
///
/// A reservation waits when the pages already held fill the budget, and most of what they hold is records librdkafka
/// is still delivering. Committing at that moment would stall the pipeline: the commit waits for every record of the
/// transaction, and the waiting page cannot join it, so each transaction would carry about one budget of pages and
/// then stop for its commit. While a reservation waits, the coordinator keeps the transaction open instead: the
/// deliveries free room, the page arrives and joins it, and the transaction commits at its ``CommitPolicy`` bound
/// (docs/architecture.md §1.3).
public final class BudgetWaiters: Sendable {
    private let count = Atomic<Int>(0)

    /// No reservation waiting.
    public init() {}

    /// Whether a reservation waits for room now.
    public var any: Bool { count.load(ordering: .relaxed) > 0 }

    /// A reservation began waiting.
    func began() { count.add(1, ordering: .relaxed) }

    /// A waiting reservation was granted (or cancelled).
    func ended() { count.subtract(1, ordering: .relaxed) }
}
