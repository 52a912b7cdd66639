import AdminClient
import Metrics

/// Makes sure no two rows of one request series (one Claude Code day, one report window, one snapshot listing)
/// go out under the same key: a compacted topic, or any consumer that upserts by key, would silently keep only
/// one of them. Two such rows mean the API splits rows by a dimension the table's key lacks; the series fails
/// with an error naming the table and the key, and `streamer.key_collisions` counts it.
///
/// Pure bookkeeping, one guard per poller cycle. A series resumed from a checkpoint mid-way is checked from the
/// resumed page on.
///
/// It keeps no key bytes, only 16 bytes a key (a ``KeyHash``), so a snapshot listing of a million rows costs
/// about 32 MiB here (the set's spare capacity included) instead of every key's bytes, and no row's key buffer
/// outlives its page.
struct KeyCollisionGuard {
    /// What the guard remembers of a key: two independent 64-bit hashes of its bytes, FNV-1a and a per-process
    /// seeded SipHash (`Hasher`). Two distinct keys of one series share both with a probability of about
    /// n² / 2¹²⁹ (≈ 10⁻²⁷ for a million rows), and a chance match would differ from one process to the next.
    struct KeyHash: Hashable {
        var fnv: UInt64
        var sip: Int

        init(_ key: ArraySlice<UInt8>) {
            fnv = Fingerprint.value(of: key)
            var hasher = Hasher()
            key.withUnsafeBytes { hasher.combine(bytes: $0) }
            sip = hasher.finalize()
        }
    }

    /// The table whose rows are checked.
    let table: AdminTable
    private var series: String?
    private var seen: Set<KeyHash> = []
    private let collisions: Counter

    /// A guard for `table`'s rows.
    ///
    /// - Parameters:
    ///   - table: the table.
    ///   - factory: where the `streamer.key_collisions` counter is created. Default: the bootstrapped system.
    init(table: AdminTable, factory: any MetricsFactory = MetricsSystem.factory) {
        self.table = table
        self.collisions = Counter(
            label: MetricLabels.keyCollisions, dimensions: [(MetricLabels.tableDimension, table.name)], factory: factory)
    }

    /// Admits the rows of one page of `series`. A page of another series than the last one starts afresh.
    ///
    /// - Parameters:
    ///   - rows: the page's rows, in order.
    ///   - series: names the request series (e.g. `2025-09-01..<2025-09-02`, `snapshot`); used in the error.
    /// - Throws: ``StreamerError/Code/keyCollision`` on the first row whose key an earlier row of the series
    ///   (on this page or an earlier one) already had; nothing of this page may be published then.
    mutating func admit(_ rows: [EncodedRow], series: String) throws(StreamerError) {
        if series != self.series {
            self.series = series
            seen.removeAll(keepingCapacity: true)
        }
        for row in rows {
            let key = row.key  // the event's key bytes, as written: hashed, never re-encoded
            if !seen.insert(KeyHash(key)).inserted {
                collisions.increment()
                throw StreamerError(
                    code: .keyCollision,
                    reason: "\(table.name): two rows of one request series (\(series)) have the same key "
                        + "\(String(decoding: key, as: UTF8.self)); the Admin API splits rows by a dimension this "
                        + "table's key lacks, so the series was not published (a compacted topic would keep only one "
                        + "of them). Upgrade the streamer, or report the API change")
            }
        }
    }
}
