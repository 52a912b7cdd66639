extension TableDefinition {
    /// `organization`: the organization the admin key belongs to. `GET /v1/organizations/me`.
    public static let organization = TableDefinition(
        table: .organization,
        path: "/v1/organizations/me",
        pageLimit: nil,
        pagination: .single,
        rowLocation: .responseObject,
        cursorKind: .snapshot,
        columns: [
            .init("id", .string, .field(["id"]), required: true),
            .init("name", .string, .field(["name"])),
            .init("settings", .string, .unavailable),
            .init("created_at", .timestamp, .unavailable),
        ],
        keyColumns: ["id"]
    )
}
