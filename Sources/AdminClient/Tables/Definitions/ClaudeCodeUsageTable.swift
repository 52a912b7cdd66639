extension TableDefinition {
    /// `claude_code_usage`: daily Claude Code productivity and cost per actor and terminal.
    /// `GET /v1/organizations/usage_report/claude_code?starting_at=YYYY-MM-DD`, one day per request series.
    /// Remote and local usage of one actor, terminal and day are separate rows (`is_remote`).
    public static let claudeCodeUsage = TableDefinition(
        table: .claudeCodeUsage,
        path: "/v1/organizations/usage_report/claude_code",
        pageLimit: 1000,
        pagination: .pageToken,
        rowLocation: .dataItems,
        cursorKind: .daily,
        columns: [
            .init("date", .timestamp, .day(["date"]), required: true),
            .init("actor_type", .string, .field(["actor", "type"]), required: true),
            .init("actor_id", .string, .actorIdentity, required: true),
            .init("organization_id", .string, .field(["organization_id"])),
            .init("customer_type", .string, .field(["customer_type"])),
            .init("terminal_type", .string, .field(["terminal_type"])),
            .init("is_remote", .boolean, .field(["is_remote"])),
            .init("num_sessions", .integer, .field(["core_metrics", "num_sessions"])),
            .init("lines_added", .integer, .field(["core_metrics", "lines_of_code", "added"])),
            .init("lines_removed", .integer, .field(["core_metrics", "lines_of_code", "removed"])),
            .init("commits_by_claude_code", .integer, .field(["core_metrics", "commits_by_claude_code"])),
            .init("pull_requests_by_claude_code", .integer, .field(["core_metrics", "pull_requests_by_claude_code"])),
            .init("edit_tool_accepted", .integer, .toolAction(tool: "edit_tool", outcome: "accepted")),
            .init("edit_tool_rejected", .integer, .toolAction(tool: "edit_tool", outcome: "rejected")),
            .init("multi_edit_tool_accepted", .integer, .toolAction(tool: "multi_edit_tool", outcome: "accepted")),
            .init("multi_edit_tool_rejected", .integer, .toolAction(tool: "multi_edit_tool", outcome: "rejected")),
            .init("write_tool_accepted", .integer, .toolAction(tool: "write_tool", outcome: "accepted")),
            .init("write_tool_rejected", .integer, .toolAction(tool: "write_tool", outcome: "rejected")),
            .init("notebook_edit_tool_accepted", .integer, .toolAction(tool: "notebook_edit_tool", outcome: "accepted")),
            .init("notebook_edit_tool_rejected", .integer, .toolAction(tool: "notebook_edit_tool", outcome: "rejected")),
            .init("total_input_tokens", .integer, .sum(array: "model_breakdown", path: ["tokens", "input"])),
            .init("total_output_tokens", .integer, .sum(array: "model_breakdown", path: ["tokens", "output"])),
            .init("total_cache_read_tokens", .integer, .sum(array: "model_breakdown", path: ["tokens", "cache_read"])),
            .init(
                "total_cache_creation_tokens", .integer,
                .sum(array: "model_breakdown", path: ["tokens", "cache_creation"])),
            .init(
                "total_estimated_cost_cents", .number,
                .sumWhere(
                    array: "model_breakdown", path: ["estimated_cost", "amount"],
                    filterPath: ["estimated_cost", "currency"], equals: "USD")),
            .init("models_used", .string, .joined(array: "model_breakdown", path: ["model"])),
        ],
        // Version 2: the API reports remote and local usage of one actor, terminal and day as separate rows,
        // so the key gained `is_remote` (version 1's four-field key made them collide).
        keyColumns: ["date", "actor_type", "actor_id", "terminal_type", "is_remote"],
        consumedFields: ["date", "actor", "core_metrics", "tool_actions", "is_remote"],
        schemaVersion: 2
    )
}
