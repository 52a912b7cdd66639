#if canImport(FoundationEssentials)
import struct FoundationEssentials.Date
#else
import struct Foundation.Date
#endif

/// Decides whether the deletions a completed listing implies are carried out or held.
///
/// A listing that would delete more than ``ratio`` of a table's live rows **and** more than ``minimumRows``
/// rows (an empty listing after a full one, a permissions change, an API incident) is held; it is carried out
/// only when ``confirmations`` consecutive listings propose exactly the same deletion. Smaller deletions — a
/// single removed user — are carried out at once. Pure: no I/O, no clock.
public struct DeletionGuard: Sendable, Hashable {
    /// What to do with a listing's deletions.
    public enum Decision: Sendable, Hashable {
        /// Publish the tombstones now.
        case carryOut
        /// Publish none; remember this in the checkpoint.
        case hold(HeldDeletion)
    }

    /// Fraction of live rows above which a deletion is a mass deletion. Default: 0.2 (20 %).
    public var ratio = 0.2
    /// Deletions of this many rows or fewer are never held. Default: 5.
    public var minimumRows = 5
    /// Consecutive agreeing listings needed to carry out a mass deletion (`--confirm-deletes`); 1 turns the
    /// guard off. Default: 2.
    public var confirmations = 2

    /// A guard with the defaults.
    public init() {}

    /// A guard.
    /// - Parameters:
    ///   - ratio: See ``ratio``.
    ///   - minimumRows: See ``minimumRows``.
    ///   - confirmations: See ``confirmations``.
    public init(ratio: Double, minimumRows: Int, confirmations: Int) {
        self.ratio = ratio
        self.minimumRows = minimumRows
        self.confirmations = confirmations
    }

    /// `true` when deleting `rows` of `liveRows` is a mass deletion.
    public func isMassDeletion(rows: Int, of liveRows: Int) -> Bool {
        rows > minimumRows && Double(rows) > ratio * Double(liveRows)
    }

    /// The decision for one completed listing.
    /// - Parameters:
    ///   - keys: The keys the listing would delete (live rows it did not return).
    ///   - liveRows: Live rows before the deletion.
    ///   - held: The deletion held by the previous listing, if any.
    ///   - now: When the listing completed.
    /// - Returns: ``Decision/carryOut``, or ``Decision/hold(_:)`` with what to remember.
    public func decide(deleting keys: [String], liveRows: Int, held: HeldDeletion?, now: Date) -> Decision {
        guard isMassDeletion(rows: keys.count, of: liveRows) else { return .carryOut }
        let digest = Self.digest(of: keys)
        let agreeing = held.flatMap { $0.digest == digest && $0.rows == keys.count ? $0 : nil }
        let listings = (agreeing?.listings ?? 0) + 1
        if listings >= confirmations { return .carryOut }
        return .hold(
            HeldDeletion(
                rows: keys.count, liveRows: liveRows, digest: digest, listings: listings,
                firstHeldAt: agreeing?.firstHeldAt ?? now))
    }

    /// The fingerprint of a set of keys, independent of their order.
    static func digest(of keys: [String]) -> String {
        var bytes: [UInt8] = []
        for key in keys.sorted() {
            bytes += key.utf8
            bytes.append(0x0A)
        }
        return Fingerprint.of(bytes)
    }
}
