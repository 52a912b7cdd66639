/// At-least-once bookkeeping for the transaction coordinator: pure, no I/O.
///
/// Pages are produced as they are admitted, many at once; a page becomes *acknowledged* when every record of it
/// is. A source's checkpoint may be written for its newest page whose own records and every earlier page's are
/// acknowledged, so each source keeps its pages in sequence order and only its acknowledged front is taken for a
/// checkpoint write. Sources never wait for each other.
struct AcknowledgedPages<Entry> {
    private struct Page {
        let id: UInt64
        let entry: Entry
        var isAcknowledged: Bool
    }

    private var bySource: [String: [Page]] = [:]
    /// Sources in the order their first waiting page arrived, so writes list them in a stable order.
    private var order: [String] = []
    private var nextID: UInt64 = 0

    /// Whether no page is waiting.
    var isEmpty: Bool { bySource.isEmpty }

    /// Adds `entry` (the next page of `source`) and returns its id.
    ///
    /// - Parameter acknowledged: `true` for a page without records.
    mutating func add(_ entry: Entry, source: String, acknowledged: Bool) -> UInt64 {
        let id = nextID
        nextID += 1
        if bySource[source] == nil { order.append(source) }
        bySource[source, default: []].append(Page(id: id, entry: entry, isAcknowledged: acknowledged))
        return id
    }

    /// Marks page `id` of `source` acknowledged (nothing when it is no longer waiting).
    mutating func acknowledge(id: UInt64, source: String) {
        guard let index = bySource[source]?.firstIndex(where: { $0.id == id }) else { return }
        bySource[source]?[index].isAcknowledged = true
    }

    /// Removes page `id` of `source`, whose records failed, with every later page of the source (their
    /// checkpoints describe it too).
    ///
    /// - Returns: the removed entries, the failed one first.
    mutating func fail(id: UInt64, source: String) -> [Entry] {
        guard let pages = bySource[source], let index = pages.firstIndex(where: { $0.id == id }) else { return [] }
        let removed = pages[index...].map(\.entry)
        set(Array(pages[..<index]), for: source)
        return removed
    }

    /// Takes every source's acknowledged front: the pages a checkpoint write may now cover, each source's in
    /// sequence order.
    mutating func takeAcknowledged() -> [Entry] {
        var taken: [Entry] = []
        for source in order {
            guard let pages = bySource[source] else { continue }
            let front = pages.prefix { $0.isAcknowledged }
            guard !front.isEmpty else { continue }
            taken += front.map(\.entry)
            set(Array(pages.dropFirst(front.count)), for: source)
        }
        return taken
    }

    /// Removes every waiting page of `sources`.
    ///
    /// - Returns: their entries.
    mutating func remove(sources: Set<String>) -> [Entry] {
        var removed: [Entry] = []
        for source in order where sources.contains(source) {
            removed += bySource[source]?.map(\.entry) ?? []
            set([], for: source)
        }
        return removed
    }

    /// Every waiting entry (to fail them when the coordinator stops).
    var all: [Entry] { order.flatMap { bySource[$0]?.map(\.entry) ?? [] } }

    private mutating func set(_ pages: [Page], for source: String) {
        if pages.isEmpty {
            bySource[source] = nil
            order.removeAll { $0 == source }
        } else {
            bySource[source] = pages
        }
    }
}
