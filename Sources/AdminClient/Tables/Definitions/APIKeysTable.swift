extension TableDefinition {
    /// `api_keys`: every API key (never the secret itself). `GET /v1/organizations/api_keys`.
    public static let apiKeys = TableDefinition(
        table: .apiKeys,
        path: "/v1/organizations/api_keys",
        pageLimit: 1000,
        pagination: .idCursor,
        rowLocation: .dataItems,
        cursorKind: .snapshot,
        columns: [
            .init("id", .string, .field(["id"]), required: true),
            .init("name", .string, .field(["name"])),
            .init("status", .string, .field(["status"])),
            .init("created_at", .timestamp, .field(["created_at"])),
            .init("workspace_id", .string, .field(["workspace_id"])),
            .init(
                "created_by_user_id", .string,
                .idWhen(typePath: ["created_by", "type"], equals: "user", idPath: ["created_by", "id"])),
            .init("last_used_at", .timestamp, .unavailable),
        ],
        keyColumns: ["id"]
    )
}
