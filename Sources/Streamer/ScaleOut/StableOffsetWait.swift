/// When a unit's new owner may read the unit's checkpoint (docs/architecture.md §1.4): only once every
/// transaction open on the checkpoint topic when the unit was assigned has ended, i.e. once each partition's
/// last stable offset (LSO) has reached the end offset (high watermark) seen at assignment. Until then a crashed
/// previous owner's transaction may still hold a newer checkpoint that a `read_committed` read does not see yet,
/// and starting would repeat its work (or, were it to commit, interleave with it).
///
/// Pure: given the ends at assignment, the LSOs read now and the time waited so far, it says wait (and how long
/// before asking again), proceed or give up. ``CheckpointFence`` does the reading and the waiting.
struct StableOffsetWait: Sendable, Hashable {
    /// What to do after one reading of the LSOs.
    enum Decision: Sendable, Hashable {
        /// Every partition is stable up to its end at assignment: read the checkpoint.
        case proceed
        /// Some partition is not: ask again after this long.
        case wait(Duration)
        /// The limit has passed with these partitions still behind (partition → LSO read, end at assignment; an
        /// LSO of `nil` when the reading had no answer for that partition).
        case giveUp(behind: [Int32: Lag])
    }

    /// How far one partition's LSO is behind its end at assignment.
    struct Lag: Sendable, Hashable, CustomStringConvertible {
        /// The last stable offset read; `nil` when the reading had none for the partition.
        var stable: Int64?
        /// The end offset (high watermark) at assignment.
        var end: Int64

        var description: String { "\(stable.map(String.init) ?? "unknown") < \(end)" }
    }

    /// The end offset of each checkpoint partition at assignment (read `read_uncommitted`).
    var ends: [Int32: Int64]
    /// How long to wait in all before giving up: the previous owner's transaction timeout plus the time the
    /// broker takes to abort an expired transaction (``margin``).
    var limit: Duration
    /// The pause before the second reading; it doubles after each reading up to ``maximumBackoff``.
    var initialBackoff: Duration = .milliseconds(100)
    /// The longest pause between two readings.
    var maximumBackoff: Duration = .seconds(2)

    /// What the broker may take beyond the transaction timeout to abort an expired transaction: it looks for
    /// them every `transaction.abort.timed.out.transaction.cleanup.interval.ms` (10 s by default), then writes
    /// the abort markers.
    static let margin = Duration.seconds(30)

    /// A wait.
    ///
    /// - Parameters:
    ///   - ends: the end offset of each checkpoint partition at assignment.
    ///   - limit: how long to wait in all (see ``limit(transactionTimeout:)``).
    init(ends: [Int32: Int64], limit: Duration) {
        self.ends = ends
        self.limit = limit
    }

    /// The limit for a deployment whose producers use `transactionTimeout` (every instance has the same): by
    /// then the broker has aborted a crashed owner's transaction.
    static func limit(transactionTimeout: Duration) -> Duration {
        transactionTimeout + margin
    }

    /// The partitions whose LSO in `stable` has not reached their end at assignment.
    ///
    /// A partition missing from `stable` counts as behind (nothing says its transactions ended); one that appeared
    /// since the assignment is ignored (it held no transaction then).
    func behind(_ stable: [Int32: Int64]) -> [Int32: Lag] {
        var behind: [Int32: Lag] = [:]
        for (partition, end) in ends {
            let offset = stable[partition]
            if let offset, offset >= end { continue }
            behind[partition] = Lag(stable: offset, end: end)
        }
        return behind
    }

    /// What to do after reading `stable`.
    ///
    /// - Parameters:
    ///   - stable: the LSO of each checkpoint partition read now.
    ///   - elapsed: the time since the assignment's wait began.
    ///   - readings: how many readings came before this one (0 for the first).
    /// - Returns: proceed when nothing is behind; give up when something is and `elapsed` has reached ``limit``;
    ///   otherwise wait the backoff of this reading, never past the limit.
    func decide(stable: [Int32: Int64], elapsed: Duration, readings: Int) -> Decision {
        let behind = behind(stable)
        if behind.isEmpty { return .proceed }
        if elapsed >= limit { return .giveUp(behind: behind) }
        return .wait(min(backoff(after: readings), limit - elapsed))
    }

    /// The pause after reading number `readings` (from 0): ``initialBackoff`` doubled `readings` times, at most
    /// ``maximumBackoff``.
    func backoff(after readings: Int) -> Duration {
        var pause = initialBackoff
        var doublings = max(0, readings)
        while doublings > 0, pause < maximumBackoff {
            pause *= 2
            doublings -= 1
        }
        return min(pause, maximumBackoff)
    }
}
