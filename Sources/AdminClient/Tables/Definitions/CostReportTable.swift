extension TableDefinition {
    /// `cost_report`: daily cost in USD cents per workspace and cost description.
    /// `GET /v1/organizations/cost_report`, one row per `data[].results[]`.
    public static let costReport = TableDefinition(
        table: .costReport,
        path: "/v1/organizations/cost_report",
        fixedQuery: [
            ("bucket_width", "1d"),
            ("group_by[]", "workspace_id"),
            ("group_by[]", "description"),
        ],
        pageLimit: 31,
        pagination: .pageToken,
        rowLocation: .bucketResults,
        cursorKind: .dateRange,
        columns: [
            .init("bucket", .timestamp, .bucketStart, required: true),
            .init("workspace_id", .string, .field(["workspace_id"])),
            .init("description", .string, .field(["description"])),
            .init("amount_cents", .number, .decimalString(["amount"]), required: true),
            // What a description stands for; the API fills these in because the table groups by description.
            .init("cost_type", .string, .field(["cost_type"])),
            .init("model", .string, .field(["model"])),
            .init("service_tier", .string, .field(["service_tier"])),
            .init("token_type", .string, .field(["token_type"])),
            .init("context_window", .string, .field(["context_window"])),
        ],
        keyColumns: ["bucket", "workspace_id", "description"],
        consumedFields: ["amount", "cost_type", "model", "service_tier", "token_type", "context_window"]
    )
}
