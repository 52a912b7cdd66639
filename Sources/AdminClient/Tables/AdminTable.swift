/// The Admin API tables the streamer publishes: the nine the `anthropic` source documents, under its names, and
/// the organization's and its workspaces' rate limits.
public enum AdminTable: String, Sendable, Hashable, CaseIterable, Codable, Comparable, CustomStringConvertible {
    case claudeCodeUsage = "claude_code_usage"
    case usageReport = "usage_report"
    case costReport = "cost_report"
    case organization
    case workspaces
    case apiKeys = "api_keys"
    case invites
    case users
    case workspaceMembers = "workspace_members"
    case rateLimits = "rate_limits"
    case workspaceRateLimits = "workspace_rate_limits"

    /// The table's name as users and topics spell it (`claude_code_usage`).
    public var name: String { rawValue }

    public var description: String { rawValue }

    /// Everything known about the table: endpoint, columns, key and cursor kind.
    public var definition: TableDefinition {
        switch self {
        case .claudeCodeUsage: .claudeCodeUsage
        case .usageReport: .usageReport
        case .costReport: .costReport
        case .organization: .organization
        case .workspaces: .workspaces
        case .apiKeys: .apiKeys
        case .invites: .invites
        case .users: .users
        case .workspaceMembers: .workspaceMembers
        case .rateLimits: .rateLimits
        case .workspaceRateLimits: .workspaceRateLimits
        }
    }

    /// Looks a table up by its documented name.
    ///
    /// - Parameter name: e.g. `"api_keys"`.
    public init?(name: String) {
        self.init(rawValue: name)
    }

    public static func < (lhs: AdminTable, rhs: AdminTable) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
