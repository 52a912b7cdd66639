import AdminClient

import struct Foundation.Date

/// What the streamer remembers about one (organization, table), stored as JSON under
/// `<organization_id>/<table>` in the compacted checkpoint topic.
///
/// Time tables (`claude_code_usage`, `usage_report`, `cost_report`): `published` lists the days that are final
/// and published; days still inside the settle window keep a fingerprint per row so only changed rows are
/// re-emitted. State tables: the time of the last completed snapshot, and the keys already emitted by a
/// snapshot in progress (so a restart does not repeat them).
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

    /// State of a snapshot table: what consumers hold (the last complete snapshot, as key → value
    /// fingerprint) and how far the snapshot in progress has got.
    public struct Snapshot: Sendable, Hashable, Codable {
        /// When the last complete snapshot finished (also a heartbeat: written even when nothing changed).
        public var lastCompletedAt: Date?
        /// When the snapshot in progress started (`nil` when none is in progress).
        public var startedAt: Date?
        /// Rows in the last complete snapshot.
        public var lastRowCount: Int?
        /// The last complete snapshot: event key (compact JSON) → fingerprint of the value published.
        public var rows: [String: String]
        /// The snapshot in progress: keys seen so far → fingerprint of their value.
        public var pending: [String: String]?

        /// No snapshot yet.
        public static let empty = Snapshot(lastCompletedAt: nil, startedAt: nil, lastRowCount: nil, rows: [:], pending: nil)

        enum CodingKeys: String, CodingKey {
            case lastCompletedAt = "last_completed_at"
            case startedAt = "started_at"
            case lastRowCount = "last_row_count"
            case rows
            case pending
        }
    }

    /// Version of this checkpoint format.
    public static let currentSchemaVersion = 1

    /// Version of this checkpoint format.
    public var schemaVersion = Self.currentSchemaVersion
    /// The table.
    public var table: AdminTable
    /// The organization.
    public var organizationID: String
    /// Final days already published, merged and sorted.
    public var published: [DayRange] = []
    /// The request series in flight that have published at least one page, each with the token of its next
    /// page (at most `--max-in-flight` of them).
    public var inProgress: [InProgress] {
        get { series ?? legacyInProgress.map { [$0] } ?? [] }
        set {
            series = newValue
            legacyInProgress = nil
        }
    }
    /// Stored form of ``inProgress``.
    var series: [InProgress]? = nil
    /// The single series in progress, as version 1 wrote it; read, never written.
    var legacyInProgress: InProgress? = nil
    /// For days still settling: day → (key fingerprint → value fingerprint) of the versions published.
    public var pendingFingerprints: [CalendarDay: [String: String]] = [:]
    /// Snapshot state (state tables only).
    public var snapshot: Snapshot? = nil
    /// When this checkpoint was written.
    public var updatedAt: Date

    /// The steady-state cursor: the first day not published after the start of the first published range.
    /// Days after it may be published too (series finish out of order), but every day before it is.
    public var nextDay: CalendarDay? { published.first?.end }

    /// A fresh checkpoint.
    public init(table: AdminTable, organizationID: String, updatedAt: Date) {
        self.table = table
        self.organizationID = organizationID
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case table
        case organizationID = "organization_id"
        case published
        case series = "in_progress_series"
        case legacyInProgress = "in_progress"
        case pendingFingerprints = "pending_fingerprints"
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
