/// A table's whole definition: where its rows come from, its documented columns, its key and how it is
/// read incrementally. Each table's definition lives in one file of `Tables/Definitions/`.
public struct TableDefinition: Sendable {
    /// How a table is read over time.
    public enum CursorKind: String, Sendable, Hashable {
        /// One request series per UTC day (`starting_at=YYYY-MM-DD`); the cursor is a day.
        case daily
        /// Daily buckets over a date range (`starting_at`/`ending_at`, `bucket_width=1d`); the cursor is a day.
        case dateRange = "date_range"
        /// A full listing each time; no cursor, every row is the current state.
        case snapshot
    }

    /// How pages follow one another.
    public enum Pagination: String, Sendable, Hashable {
        /// `page=<next_page>` while `has_more` (report endpoints).
        case pageToken = "page_token"
        /// `after_id=<last_id>` while `has_more` (list endpoints).
        case idCursor = "id_cursor"
        /// A single object, not a list (`/v1/organizations/me`).
        case single
    }

    /// Where in a response the rows are.
    public enum RowLocation: String, Sendable, Hashable {
        /// Each element of `data[]` is a row.
        case dataItems = "data_items"
        /// Each element of `data[].results[]` is a row, inside a time bucket (`starting_at`/`ending_at`).
        case bucketResults = "bucket_results"
        /// The response object itself is the row.
        case responseObject = "response_object"
    }

    /// The table.
    public let table: AdminTable
    /// The endpoint path; `{workspace_id}` is filled in per workspace for workspace members.
    public let path: String
    /// Query items sent on every request besides cursors and dates, e.g. `bucket_width=1d`.
    public let fixedQuery: [(name: String, value: String)]
    /// Page size sent as `limit` (within the endpoint's documented cap); `nil` when the endpoint takes none.
    public let pageLimit: Int?
    /// How pages follow one another.
    public let pagination: Pagination
    /// Where the rows are in a response.
    public let rowLocation: RowLocation
    /// How the table is read over time.
    public let cursorKind: CursorKind
    /// The documented columns, in documented order.
    public let columns: [ColumnDefinition]
    /// The documented primary key, in order; each names a column.
    public let keyColumns: [String]
    /// Top-level API fields fully represented by documented columns, so not repeated as extra fields.
    public let consumedFields: Set<String>
    /// The version of this table's event contract, sent as every event's `schema_version` header: it goes up
    /// whenever the key or the columns change. Default: 1.
    public let schemaVersion: Int
    /// `anthropic-beta` values every request of this table sends (a beta feature it uses). Default: none.
    public let betaHeaders: [String]
    /// `true` when the table is listed once per workspace (workspace members).
    public var isPerWorkspace: Bool { path.contains("{workspace_id}") }

    /// The column named `name`.
    public func column(named name: String) -> ColumnDefinition? {
        columns.first { $0.name == name }
    }

    /// Creates a definition; used only by the definitions in `Tables/Definitions/`.
    init(
        table: AdminTable, path: String, fixedQuery: [(name: String, value: String)] = [], pageLimit: Int?,
        pagination: Pagination, rowLocation: RowLocation, cursorKind: CursorKind, columns: [ColumnDefinition],
        keyColumns: [String], consumedFields: Set<String> = [], schemaVersion: Int = 1, betaHeaders: [String] = []
    ) {
        self.table = table
        self.path = path
        self.fixedQuery = fixedQuery
        self.pageLimit = pageLimit
        self.pagination = pagination
        self.rowLocation = rowLocation
        self.cursorKind = cursorKind
        self.columns = columns
        self.keyColumns = keyColumns
        self.consumedFields = consumedFields
        self.schemaVersion = schemaVersion
        self.betaHeaders = betaHeaders
        precondition(keyColumns.allSatisfy { key in columns.contains { $0.name == key } }, "key names a column")
    }
}
