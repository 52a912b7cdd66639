import AdminClient

#if canImport(FoundationEssentials)
import struct FoundationEssentials.Date
#else
import struct Foundation.Date
#endif

/// A version 1 checkpoint (`schema_version` 1): no destination topic, and a state table's fingerprints of every
/// row inside the record. Read once to upgrade: its fingerprints become state records (``CheckpointMigration``).
struct LegacyCheckpoint: Decodable {
    struct Snapshot: Decodable {
        var lastCompletedAt: Date?
        var lastRowCount: Int?
        var rows: [String: String]
        var pending: [String: String]?

        enum CodingKeys: String, CodingKey {
            case lastCompletedAt = "last_completed_at"
            case lastRowCount = "last_row_count"
            case rows
            case pending
        }
    }

    var schemaVersion: Int
    var table: AdminTable
    var organizationID: String
    var published: [DayRange]
    var inProgress: TableCheckpoint.InProgress?
    var pendingFingerprints: [CalendarDay: [String: String]]
    var snapshot: Snapshot?
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case table
        case organizationID = "organization_id"
        case published
        case inProgress = "in_progress"
        case pendingFingerprints = "pending_fingerprints"
        case snapshot
        case updatedAt = "updated_at"
    }

    /// What consumers hold: the last complete snapshot, overlaid with the rows the snapshot in progress had
    /// already published (their versions are newer).
    var heldRows: [String: String] {
        guard let snapshot else { return [:] }
        return snapshot.rows.merging(snapshot.pending ?? [:]) { _, pending in pending }
    }

    /// The version 2 checkpoint, for events going to `topic` (version 1 did not record it).
    func upgraded(topic: String) -> TableCheckpoint {
        var checkpoint = TableCheckpoint(table: table, organizationID: organizationID, topic: topic, updatedAt: updatedAt)
        checkpoint.published = published
        checkpoint.inProgress = inProgress.map { [$0] } ?? []
        // Version 1 kept settle-window prints by key hash, not key: they cannot become row state. Those days'
        // rows are compared against nothing once, so each may be published once more.
        if let snapshot {
            checkpoint.snapshot = TableCheckpoint.Snapshot(
                generation: snapshot.lastCompletedAt == nil ? 0 : 1, lastCompletedAt: snapshot.lastCompletedAt,
                lastRowCount: snapshot.lastRowCount)
        }
        return checkpoint
    }
}
