extension TableDefinition {
    /// `users`: organization members. `GET /v1/organizations/users`.
    public static let users = TableDefinition(
        table: .users,
        path: "/v1/organizations/users",
        pageLimit: 1000,
        pagination: .idCursor,
        rowLocation: .dataItems,
        cursorKind: .snapshot,
        columns: [
            .init("id", .string, .field(["id"]), required: true),
            .init("email", .string, .field(["email"])),
            .init("name", .string, .field(["name"])),
            .init("role", .string, .field(["role"])),
            .init("created_at", .timestamp, .field(["added_at"])),
            .init("last_login_at", .timestamp, .unavailable),
        ],
        keyColumns: ["id"],
        consumedFields: ["added_at"]
    )
}
