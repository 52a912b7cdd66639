/// Which records a reader sees (`isolation.level`).
public enum IsolationLevel: String, Sendable {
    /// Only records of committed transactions (and non-transactional ones), up to the last stable offset.
    case readCommitted = "read_committed"
    /// Every record, including those of open or aborted transactions.
    case readUncommitted = "read_uncommitted"
}
