/// When the transaction coordinator commits: the first bound reached. A transaction also commits as soon as
/// every page in it is enqueued and no page is on its way (none in the inbox, no reservation waiting for room in a
/// page budget: ``BudgetWaiters``), so a lone page is never held back.
public struct CommitPolicy: Sendable, Hashable {
    /// The longest a transaction stays open while pages keep arriving. Default: 250 ms.
    public var interval: Duration = .milliseconds(250)
    /// Records after which no more pages join the transaction. Default: 10,000.
    public var maximumRecords = 10_000
    /// Bytes (keys and values) after which no more pages join the transaction. Default: 16 MiB.
    public var maximumBytes = 16 << 20

    /// The default policy.
    public init() {}

    /// A policy with the given interval and the default size bounds.
    ///
    /// - Parameter interval: see ``interval``.
    public init(interval: Duration) {
        self.interval = interval
    }
}
