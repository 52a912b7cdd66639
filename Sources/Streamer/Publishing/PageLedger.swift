/// The order and fate of each source's pages, for the transaction coordinator: pure bookkeeping, no I/O.
///
/// Pages of a source are admitted strictly in sequence order: one that arrives before its predecessor is parked
/// until the predecessor arrives. After a failed transaction the sources it held are *poisoned*: their later pages
/// are refused (their checkpoints describe the lost pages) until the source begins a new cycle.
struct PageLedger<Entry> {
    /// What happened to a page offered with ``admit(_:source:sequence:)``.
    enum Admission {
        /// The page, and any parked pages it unblocked, in sequence order.
        case accepted([Entry])
        /// Waits for an earlier page of its source.
        case parked
        /// Refused: its source is poisoned, or the sequence was already used.
        case refused(reason: String)
    }

    private var expected: [String: UInt64] = [:]
    private var parked: [String: [UInt64: Entry]] = [:]
    private var poisoned: Set<String> = []

    /// Starts a new cycle of `source` at `firstSequence`.
    ///
    /// - Returns: pages still parked from an earlier cycle, which will never be admitted (fail them).
    mutating func beginCycle(source: String, firstSequence: UInt64) -> [Entry] {
        poisoned.remove(source)
        expected[source] = firstSequence
        let stale = parked.removeValue(forKey: source).map { Array($0.values) } ?? []
        return stale
    }

    /// Offers a page.
    mutating func admit(_ entry: Entry, source: String, sequence: UInt64) -> Admission {
        if poisoned.contains(source) {
            return .refused(reason: "an earlier page of \(source) was lost with an aborted transaction")
        }
        let next = expected[source] ?? sequence
        if sequence < next {
            return .refused(reason: "page \(sequence) of \(source) was already published")
        }
        if sequence > next {
            parked[source, default: [:]][sequence] = entry
            return .parked
        }
        var admitted = [entry]
        var cursor = sequence + 1
        while let following = parked[source]?.removeValue(forKey: cursor) {
            admitted.append(following)
            cursor += 1
        }
        if parked[source]?.isEmpty == true { parked[source] = nil }
        expected[source] = cursor
        return .accepted(admitted)
    }

    /// Whether `source`'s pages are refused until its next cycle.
    func isPoisoned(_ source: String) -> Bool { poisoned.contains(source) }

    /// Refuses the later pages of `sources` until each begins a new cycle.
    ///
    /// - Returns: their parked pages, which will never be admitted (fail them).
    mutating func poison<S: Sequence<String>>(_ sources: S) -> [Entry] {
        var dropped: [Entry] = []
        for source in sources {
            poisoned.insert(source)
            if let pages = parked.removeValue(forKey: source) { dropped += pages.values }
        }
        return dropped
    }
}
