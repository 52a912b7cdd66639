extension TableDefinition {
    /// `api_keys`: every API key (never the secret itself). `GET /v1/organizations/api_keys`.
    ///
    /// `workspace_id` is the key's workspace as `scope.workspace_id` names it (the default workspace included);
    /// only when the API sends no `scope` does it fall back to the deprecated top-level `workspace_id`, which is
    /// `null` for keys of the default workspace and for organization-scoped keys. `status` is passed through as
    /// the API sends it (`active`, `inactive`, `archived`, `expired`, or any newer value).
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
            .init("workspace_id", .string, .firstPresent([["scope", "workspace_id"], ["workspace_id"]])),
            .init(
                "created_by_user_id", .string,
                .idWhen(typePath: ["created_by", "type"], equals: "user", idPath: ["created_by", "id"])),
            .init("last_used_at", .timestamp, .unavailable),
            .init("expires_at", .timestamp, .field(["expires_at"])),
            .init("scope_type", .string, .field(["scope", "type"])),
            .init("scope_workspace_id", .string, .field(["scope", "workspace_id"])),
            .init("principal_type", .string, .field(["principal", "type"])),
            .init(
                "principal_id", .string,
                .firstPresent([["principal", "user_id"], ["principal", "service_account_id"]])),
        ],
        // The deprecated top-level `workspace_id` is not repeated as an extra field: the column has its name, and
        // the API documents it as derived from `scope` (null for the default workspace and organization scope).
        keyColumns: ["id"],
        consumedFields: ["workspace_id", "expires_at", "scope", "principal"]
    )
}
