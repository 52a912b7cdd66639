/// One response's worth of rows: exactly one successful HTTP request (after any retries).
public struct AdminPage: Sendable {
    /// The table the rows belong to.
    public let table: AdminTable
    /// The rows as their events' key and value bytes, written by the table's encoder from the response's
    /// bytes. May be empty.
    public let rows: [EncodedRow]
    /// The token that resumes right after this page (`next_page` for report tables, `last_id` for list
    /// tables); `nil` when this page ended its listing. For `workspace_members` it is the member cursor
    /// inside ``workspaceID``'s listing.
    public let nextToken: String?
    /// The response's `request-id`, when it sent one.
    public let requestID: String?
    /// 0-based page number within this sequence.
    public let index: Int
    /// For `workspace_members`: the workspace whose members these are; `nil` for other tables.
    public let workspaceID: String?

    /// Creates a page (the client builds them; tests and fakes may too).
    ///
    /// - Parameters:
    ///   - table: the table.
    ///   - rows: the rows' key and value bytes.
    ///   - nextToken: the resume token, `nil` at the end of the listing.
    ///   - requestID: the response's request id.
    ///   - index: 0-based page number.
    ///   - workspaceID: the workspace listed, for `workspace_members`.
    public init(
        table: AdminTable, rows: [EncodedRow], nextToken: String?, requestID: String?, index: Int,
        workspaceID: String? = nil
    ) {
        self.table = table
        self.rows = rows
        self.nextToken = nextToken
        self.requestID = requestID
        self.index = index
        self.workspaceID = workspaceID
    }
}
