extension TableDefinition {
    /// `workspace_rate_limits`: each custom workspace's rate-limit overrides (the default workspace has none),
    /// one row per overridden organization entry. `GET /v1/organizations/workspaces/{workspace_id}/rate_limits`,
    /// once per workspace, `page`/`next_page` pagination, without `include_inherited` (inherited values are the
    /// organization's, in `rate_limits`). The entry has no id: the key is the natural
    /// `(workspace_id, rate_limit_id)`.
    public static let workspaceRateLimits = TableDefinition(
        table: .workspaceRateLimits,
        path: "/v1/organizations/workspaces/{workspace_id}/rate_limits",
        pageLimit: 1000,
        pagination: .pageToken,
        rowLocation: .dataItems,
        cursorKind: .snapshot,
        columns: [
            .init("workspace_id", .string, .field(["workspace_id"]), required: true),
            .init("rate_limit_id", .string, .field(["rate_limit_id"]), required: true),
        ] + rateLimitGroupColumns,
        keyColumns: ["workspace_id", "rate_limit_id"]
    )
}
