extension TableDefinition {
    /// `usage_report`: daily token usage per API key, workspace, model and service tier (the seed's grouping).
    /// `GET /v1/organizations/usage_report/messages`, one row per `data[].results[]`.
    public static let usageReport = usageReport(groupBy: [])

    /// `usage_report` grouped by the seed's four dimensions plus `extra` ones: each extra dimension is one more
    /// `group_by[]`, a column and a key field right after `service_tier`, in ``UsageDimension`` order, so each
    /// choice has one documented key shape: `bucket, api_key_id, workspace_id, model, service_tier[, extra…]`.
    /// `speed` adds the beta header `anthropic-beta: fast-mode-2026-02-01`.
    ///
    /// - Parameter extra: the extra dimensions (duplicates ignored; order does not matter).
    public static func usageReport(groupBy extra: [UsageDimension]) -> TableDefinition {
        let chosen = Set(extra).sorted()
        // Built in steps: one expression of concatenated literals is slow for the type checker.
        var fixedQuery: [(name: String, value: String)] = [
            ("bucket_width", "1d"),
            ("group_by[]", "api_key_id"),
            ("group_by[]", "workspace_id"),
            ("group_by[]", "model"),
            ("group_by[]", "service_tier"),
        ]
        fixedQuery += chosen.map { (name: "group_by[]", value: $0.rawValue) }
        var columns: [ColumnDefinition] = [
            ColumnDefinition("bucket", .timestamp, .bucketStart, required: true),
            ColumnDefinition("api_key_id", .string, .field(["api_key_id"])),
            ColumnDefinition("workspace_id", .string, .field(["workspace_id"])),
            ColumnDefinition("model", .string, .field(["model"])),
            ColumnDefinition("service_tier", .string, .field(["service_tier"])),
        ]
        columns += chosen.map { ColumnDefinition($0.rawValue, .string, .field([$0.rawValue])) }
        let measures: [ColumnDefinition] = [
            ColumnDefinition("input_tokens", .integer, .field(["uncached_input_tokens"])),
            ColumnDefinition("output_tokens", .integer, .field(["output_tokens"])),
            ColumnDefinition("input_cached_tokens", .integer, .field(["cache_read_input_tokens"])),
            ColumnDefinition("api_first_response_latency_ms_p50", .number, .unavailable),
            ColumnDefinition("api_first_response_latency_ms_p95", .number, .unavailable),
            ColumnDefinition("api_first_response_latency_ms_p99", .number, .unavailable),
            ColumnDefinition("api_total_latency_ms_p50", .number, .unavailable),
            ColumnDefinition("api_total_latency_ms_p95", .number, .unavailable),
            ColumnDefinition("api_total_latency_ms_p99", .number, .unavailable),
            ColumnDefinition("api_request_count", .integer, .unavailable),
            ColumnDefinition("server_tool_search_count", .integer, .field(["server_tool_use", "web_search_requests"])),
            ColumnDefinition("server_tool_result_count", .integer, .unavailable),
        ]
        columns += measures
        let keyColumns: [String] = ["bucket", "api_key_id", "workspace_id", "model", "service_tier"] + chosen.map(\.rawValue)
        return TableDefinition(
        table: .usageReport,
        path: "/v1/organizations/usage_report/messages",
        fixedQuery: fixedQuery,
        pageLimit: 31,
        pagination: .pageToken,
        rowLocation: .bucketResults,
        cursorKind: .dateRange,
        columns: columns,
        keyColumns: keyColumns,
        betaHeaders: chosen.compactMap(\.betaHeader)
        )
    }
}
