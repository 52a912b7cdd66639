#if canImport(FoundationEssentials)
import struct FoundationEssentials.Date
#else
import struct Foundation.Date
#endif

/// A mass deletion that was not carried out, remembered in the table's checkpoint until enough consecutive
/// listings agree on it (``DeletionGuard``). Constant size: the deleted keys are summarised by a digest.
public struct HeldDeletion: Sendable, Hashable, Codable {
    /// Rows the listing would delete.
    public var rows: Int
    /// Live rows before the deletion.
    public var liveRows: Int
    /// Fingerprint (16 hex digits) of the sorted keys to delete: two listings agree when their digests match.
    public var digest: String
    /// Consecutive listings that proposed exactly this deletion.
    public var listings: Int
    /// When the first of them completed.
    public var firstHeldAt: Date

    /// A held deletion.
    public init(rows: Int, liveRows: Int, digest: String, listings: Int, firstHeldAt: Date) {
        self.rows = rows
        self.liveRows = liveRows
        self.digest = digest
        self.listings = listings
        self.firstHeldAt = firstHeldAt
    }

    enum CodingKeys: String, CodingKey {
        case rows
        case liveRows = "live_rows"
        case digest
        case listings
        case firstHeldAt = "first_held_at"
    }
}
