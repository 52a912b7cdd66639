import AdminClient

#if canImport(FoundationEssentials)
import struct FoundationEssentials.Date
#else
import struct Foundation.Date
#endif

/// What the streamer remembers about one (organization, table), stored as JSON (`schema_version` 2) under
/// `<organization_id>/<table>` in the compacted checkpoint topic.
///
/// Identity — organization, table, destination topic, event schema version — is checked on load
/// (``CheckpointIdentity``), so a record that describes other work is refused instead of silently skipping or
/// repeating it. Time tables (`claude_code_usage`, `usage_report`, `cost_report`): `published` lists the days
/// that are final and published, `in_progress` the request series in flight; the rows of days still inside the
/// settle window keep their fingerprints in the state topic (``RowState``), so only changed rows are re-emitted. State tables: the snapshot generation, the last completed snapshot and any
/// held mass deletion; their per-row state lives in the state topic (``RowState``), so the record stays small
/// whatever the table's size.
public struct TableCheckpoint: Sendable, Hashable, Codable {
    /// The request series in progress when the checkpoint was written: resume with its page token.
    public struct InProgress: Sendable, Hashable, Codable {
        /// The first day of the request (`starting_at`).
        public var start: CalendarDay
        /// The day after the request's last day (`ending_at`); equal to `start + 1` for one-day requests.
        public var end: CalendarDay
        /// The token of the next page.
        public var nextToken: String
    }

    /// State of a snapshot table: how many listings completed, the last one, and a held mass deletion.
    public struct Snapshot: Sendable, Hashable, Codable {
        /// Listings completed (each one a generation).
        public var generation: Int
        /// When the last complete snapshot finished (also a heartbeat: written even when nothing changed).
        public var lastCompletedAt: Date?
        /// Rows in the last complete snapshot.
        public var lastRowCount: Int?
        /// A mass deletion waiting for confirmation (see ``DeletionGuard``).
        public var heldDeletion: HeldDeletion?

        /// A snapshot state.
        public init(generation: Int = 0, lastCompletedAt: Date? = nil, lastRowCount: Int? = nil, heldDeletion: HeldDeletion? = nil) {
            self.generation = generation
            self.lastCompletedAt = lastCompletedAt
            self.lastRowCount = lastRowCount
            self.heldDeletion = heldDeletion
        }

        /// No snapshot yet.
        public static let empty = Snapshot()

        enum CodingKeys: String, CodingKey {
            case generation
            case lastCompletedAt = "last_completed_at"
            case lastRowCount = "last_row_count"
            case heldDeletion = "held_deletion"
        }
    }

    /// Version of this checkpoint format.
    public static let currentSchemaVersion = 2

    /// Version of this checkpoint format.
    public var schemaVersion = Self.currentSchemaVersion
    /// The table.
    public var table: AdminTable
    /// The organization.
    public var organizationID: String
    /// Where the table's events go.
    public var topic: String
    /// The version of the event contract the events were written with (the table's `schema_version`).
    public var eventSchemaVersion: Int
    /// Final days already published, merged and sorted.
    public var published: [DayRange] = []
    /// The request series in flight that have published at least one page, each with the token of its next
    /// page (at most `--max-in-flight` of them).
    public var inProgress: [InProgress] = []
    /// Snapshot state (state tables only).
    public var snapshot: Snapshot? = nil
    /// When this checkpoint was written.
    public var updatedAt: Date

    /// The steady-state cursor: the first day not published after the start of the first published range.
    /// Days after it may be published too (series finish out of order), but every day before it is.
    public var nextDay: CalendarDay? { published.first?.end }

    /// A fresh checkpoint.
    /// - Parameters:
    ///   - table: The table.
    ///   - organizationID: The organization.
    ///   - topic: Where the table's events go.
    ///   - updatedAt: When it is written.
    public init(table: AdminTable, organizationID: String, topic: String, updatedAt: Date) {
        self.table = table
        self.organizationID = organizationID
        self.topic = topic
        self.eventSchemaVersion = table.definition.schemaVersion
        self.updatedAt = updatedAt
    }

    /// The identity this checkpoint claims.
    public var identity: CheckpointIdentity {
        CheckpointIdentity(
            organizationID: organizationID, table: table, topic: topic, eventSchemaVersion: eventSchemaVersion)
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case table
        case organizationID = "organization_id"
        case topic
        case eventSchemaVersion = "event_schema_version"
        case published
        case inProgress = "in_progress"
        case snapshot
        case updatedAt = "updated_at"
    }

    /// The checkpoint topic's key for a table of an organization: `<organization_id>/<table>`, and
    /// `<organization_id>/<table>@v<N>` once the table's event contract is at version N > 1: a new key
    /// generation starts from no checkpoint, so every row is published once under its new key.
    public static func key(organizationID: String, table: AdminTable) -> String {
        let version = table.definition.schemaVersion
        return version > 1 ? "\(organizationID)/\(table.name)@v\(version)" : "\(organizationID)/\(table.name)"
    }
}
