import AdminClient

/// The organization's rate-limit entries and each custom workspace's overrides, in the documented shapes
/// (`rate_limit`, `workspace_rate_limit`): a pure function of the seed and the workspaces.
enum RateLimitGenerator {
    /// A rate-limit group: its type, its fixed `rlg_…` id, and for model groups a display name and models.
    private struct Group {
        let type: String
        let displayName: String?
        let models: [String]?
    }

    private static let groups: [Group] = [
        Group(type: "model_group", displayName: "Claude Sonnet 4.x", models: ["claude-sonnet-4-5", "claude-sonnet-4-5-20250929", "claude-sonnet-4-20250514"]),
        Group(type: "model_group", displayName: "Claude Opus 4.x", models: ["claude-opus-4-1", "claude-opus-4-1-20250805"]),
        Group(type: "model_group", displayName: "Claude Haiku 3.5", models: ["claude-3-5-haiku-20241022"]),
        Group(type: "batch", displayName: nil, models: nil),
        Group(type: "files", displayName: nil, models: nil),
        Group(type: "web_search", displayName: nil, models: nil),
        Group(type: "token_count", displayName: nil, models: nil),
        Group(type: "skills", displayName: nil, models: nil),
    ]

    /// The organization's entries, in listing order.
    static func organizationEntries(seed: UInt64) -> [JSONObject] {
        groups.enumerated().map { index, group in
            var random = SandboxRandom(seed, SandboxStream.rateLimit.rawValue, UInt64(index))
            var entry = JSONObject(distinct: [
                "type": "rate_limit",
                "id": .string("rl_01" + random.base58(count: 22)),
                "group": groupObject(group, index: index),
                "group_type": .string(group.type),
                "models": group.models.map { .array($0.map(JSONValue.string)) } ?? .null,
            ])
            entry.appendUnchecked("limits", .array(limits(for: group).map { type, value in
                .object(JSONObject(distinct: ["type": .string(type), "value": .int(value)]))
            }))
            return entry
        }
    }

    /// The overrides of the custom workspace at `workspaceIndex`: every third organization entry, shifted by
    /// workspace, with its first limiter set to a quarter of the organization's value.
    static func workspaceEntries(workspaceID: String, workspaceIndex: Int, organization: [JSONObject]) -> [JSONObject] {
        organization.enumerated().compactMap { index, entry in
            guard (index + workspaceIndex) % 3 == 0, case .array(let limits)? = entry["limits"],
                case .object(let first)? = limits.first, let orgValue = first["value"]?.numberValue?.intValue
            else { return nil }
            let override = JSONObject(distinct: [
                "type": first["type"] ?? .null,
                "value": .int(max(1, orgValue / 4)),
                "org_limit": .int(orgValue),
                "source": .object(JSONObject(distinct: ["type": "workspace"])),
            ])
            return JSONObject(distinct: [
                "type": "workspace_rate_limit",
                "workspace_id": .string(workspaceID),
                "rate_limit_id": entry["id"] ?? .null,
                "group": entry["group"] ?? .null,
                "group_type": entry["group_type"] ?? .null,
                "models": entry["models"] ?? .null,
                "limits": .array([.object(override)]),
            ])
        }
    }

    private static func groupObject(_ group: Group, index: Int) -> JSONValue {
        // The group id is the same in every organization: derived from the group only, never the seed.
        var random = SandboxRandom(0, SandboxStream.rateLimit.rawValue, 1_000 + UInt64(index))
        var object = JSONObject(distinct: ["type": .string(group.type), "id": .string("rlg_01" + random.base58(count: 22))])
        if let name = group.displayName { object.appendUnchecked("display_name", .string(name)) }
        return .object(object)
    }

    private static func limits(for group: Group) -> [(String, Int)] {
        switch group.type {
        case "model_group":
            [("requests_per_minute", 4_000), ("input_tokens_per_minute", 2_000_000), ("output_tokens_per_minute", 400_000)]
        case "batch": [("requests_per_minute", 4_000), ("batch_requests_in_queue", 500_000)]
        default: [("requests_per_minute", 1_000)]
        }
    }
}
