extension TableDefinition {
    /// `workspaces`: every workspace, the archived ones and the organization's default workspace included.
    /// `GET /v1/organizations/workspaces?include_archived=true&include_default=true`.
    ///
    /// `type` is `"default"` for the default workspace and `"custom"` for every other. The API's workspace object
    /// does not say which one is the default: it is the one a listing without `include_default` leaves out, so
    /// the client lists the workspaces that way too and marks the rows with ``EncodedRow/markingDefaultWorkspace()``.
    public static let workspaces = TableDefinition(
        table: .workspaces,
        path: "/v1/organizations/workspaces",
        fixedQuery: [("include_archived", "true"), ("include_default", "true")],
        pageLimit: 1000,
        pagination: .idCursor,
        rowLocation: .dataItems,
        cursorKind: .snapshot,
        columns: [
            .init("id", .string, .field(["id"]), required: true),
            .init("name", .string, .field(["name"])),
            .init("type", .string, .constant("custom")),
            .init("created_at", .timestamp, .field(["created_at"])),
        ],
        keyColumns: ["id"],
        consumedFields: ["type"]
    )

    /// The query that lists the custom workspaces only (the default one left out): the workspaces whose
    /// members and rate limits are read, and the set that tells the default workspace apart.
    static var customWorkspacesQuery: [(name: String, value: String)] {
        workspaces.fixedQuery.filter { $0.name != "include_default" }
    }
}

extension EncodedRow {
    /// A `workspaces` row marked as the organization's default workspace: its `type` column says `"default"`
    /// instead of the `"custom"` the encoder wrote.
    ///
    /// The `type` column is written right after `name`, as `,"type":"custom"`; those bytes cannot occur
    /// earlier, inside a string (a quote in a string is escaped), so the first occurrence is the column.
    public func markingDefaultWorkspace() -> EncodedRow {
        let pattern = Self.customTypeBytes
        guard value.count >= pattern.count else { return self }
        var start = value.startIndex
        while start + pattern.count <= value.endIndex {
            if value[start] == pattern[0], value[start..<(start + pattern.count)].elementsEqual(pattern) {
                var marked = Array(value)
                let offset = start - value.startIndex
                marked.replaceSubrange(offset..<(offset + pattern.count), with: Self.defaultTypeBytes)
                return EncodedRow(key: key, value: marked[...], day: day)
            }
            start += 1
        }
        return self
    }

    static let customTypeBytes = Array(#","type":"custom""#.utf8)
    static let defaultTypeBytes = Array(#","type":"default""#.utf8)
}
