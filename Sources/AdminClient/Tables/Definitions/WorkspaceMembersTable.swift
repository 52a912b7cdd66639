extension TableDefinition {
    /// `workspace_members`: who belongs to which workspace, with which role.
    /// `GET /v1/organizations/workspaces/{workspace_id}/members`, once per workspace.
    public static let workspaceMembers = TableDefinition(
        table: .workspaceMembers,
        path: "/v1/organizations/workspaces/{workspace_id}/members",
        pageLimit: 1000,
        pagination: .idCursor,
        rowLocation: .dataItems,
        cursorKind: .snapshot,
        columns: [
            .init("workspace_id", .string, .field(["workspace_id"]), required: true),
            .init("user_id", .string, .field(["user_id"]), required: true),
            .init("role", .string, .field(["workspace_role"])),
            .init("added_at", .timestamp, .unavailable),
        ],
        keyColumns: ["workspace_id", "user_id"],
        consumedFields: ["workspace_role"]
    )
}
