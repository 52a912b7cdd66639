extension TableDefinition {
    /// `workspaces`: every workspace, archived ones included.
    /// `GET /v1/organizations/workspaces?include_archived=true`.
    public static let workspaces = TableDefinition(
        table: .workspaces,
        path: "/v1/organizations/workspaces",
        fixedQuery: [("include_archived", "true")],
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
}
