extension TableDefinition {
    /// `invites`: organization invites. `GET /v1/organizations/invites`.
    public static let invites = TableDefinition(
        table: .invites,
        path: "/v1/organizations/invites",
        pageLimit: 1000,
        pagination: .idCursor,
        rowLocation: .dataItems,
        cursorKind: .snapshot,
        columns: [
            .init("id", .string, .field(["id"]), required: true),
            .init("email", .string, .field(["email"])),
            .init("role", .string, .field(["role"])),
            .init("expires_at", .timestamp, .field(["expires_at"])),
            .init("workspace_ids", .string, .unavailable),
            .init("created_at", .timestamp, .field(["invited_at"])),
            .init("created_by_user_id", .string, .unavailable),
        ],
        keyColumns: ["id"],
        consumedFields: ["invited_at"]
    )
}
