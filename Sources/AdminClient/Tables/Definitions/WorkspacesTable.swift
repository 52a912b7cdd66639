extension TableDefinition {
    /// `workspaces`: every workspace, the archived ones and the organization's default workspace included.
    /// `GET /v1/organizations/workspaces?include_archived=true&include_default=true`.
    ///
    /// `type` is `"default"` for the default workspace and `"custom"` for every other. The API's workspace object
    /// does not say which one is the default: it is the one a listing without `include_default` leaves out, so
    /// the client lists the workspaces that way too and marks the rows with ``markingWorkspaceType(isDefault:)``.
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

extension AdminRow {
    /// A `workspaces` row with its `type` set: `"default"` for the organization's default workspace, else
    /// `"custom"`. Other rows are returned unchanged.
    ///
    /// - Parameter isDefault: whether the row is the default workspace.
    public func markingWorkspaceType(isDefault: Bool) -> AdminRow {
        guard table == .workspaces else { return self }
        var fields = self.fields
        fields["type"] = isDefault ? "default" : "custom"
        return AdminRow(table: table, fields: fields, keyColumns: keyColumns)
    }
}
