extension TableDefinition {
    /// `rate_limits`: the organization's Messages API rate limits, one row per rate-limit group (a model family,
    /// or an API surface such as Message Batches or web search). `GET /v1/organizations/rate_limits`,
    /// `page`/`next_page` pagination. Key: the entry's documented `id`.
    public static let rateLimits = TableDefinition(
        table: .rateLimits,
        path: "/v1/organizations/rate_limits",
        pageLimit: 1000,
        pagination: .pageToken,
        rowLocation: .dataItems,
        cursorKind: .snapshot,
        columns: [.init("id", .string, .field(["id"]), required: true)] + rateLimitGroupColumns,
        keyColumns: ["id"]
    )

    /// The columns an organization and a workspace rate-limit entry share: the group (`group.type`, with the
    /// deprecated `group_type` as fallback), its models and its limiter values, as returned.
    static let rateLimitGroupColumns: [ColumnDefinition] = [
        .init("group_type", .string, .firstPresent([["group", "type"], ["group_type"]])),
        .init("group_id", .string, .field(["group", "id"])),
        .init("group_display_name", .string, .field(["group", "display_name"])),
        .init("models", .array, .field(["models"])),
        .init("limits", .array, .field(["limits"])),
    ]
}
