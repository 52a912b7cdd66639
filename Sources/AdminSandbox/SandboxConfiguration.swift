import AdminClient

#if canImport(FoundationEssentials)
import struct FoundationEssentials.Date
#else
import struct Foundation.Date
#endif

/// What the sandbox Admin API serves: the organization, how many entities it has, which days have usage and
/// cost data, how many rows a day holds, and the seed every value is derived from.
///
/// Everything served is a pure function of this configuration (plus ``SandboxAdminAPI/revise(day:)`` and
/// the deletions), so the same configuration gives byte-identical responses.
public struct SandboxConfiguration: Sendable, Hashable {
    /// The Admin API key requests must send as `x-api-key`.
    /// Default: `sk-ant-admin01-sandbox-0000000000000000000000000000000000000000`.
    public var adminKey: String = "sk-ant-admin01-sandbox-0000000000000000000000000000000000000000"
    /// The organization's id (a UUID), as `/v1/organizations/me` and Claude Code records report it.
    /// Default: `8c1b0a5e-4a52-4e1b-9d7e-2f1f3c9b7a10`.
    public var organizationID: String = "8c1b0a5e-4a52-4e1b-9d7e-2f1f3c9b7a10"
    /// The organization's name. Default: `Sandbox Org`.
    public var organizationName: String = "Sandbox Org"
    /// Number of organization members (`/v1/organizations/users`). Default: 12.
    public var users: Int = 12
    /// Number of active workspaces; one more, archived, workspace exists besides them and is listed only
    /// with `include_archived=true`. Default: 3.
    public var workspaces: Int = 3
    /// Chance, in percent, that a user other than the first is a member of a given workspace (the first user is
    /// a member of every workspace). Default: 55.
    public var memberPercent: Int = 55
    /// Number of API keys (`/v1/organizations/api_keys`). Default: 6.
    public var apiKeys: Int = 6
    /// Number of invites (`/v1/organizations/invites`). Default: 4.
    public var invites: Int = 4
    /// The first day with usage, cost and Claude Code data. Default: 13 days before ``today`` at creation.
    public var historyStart: CalendarDay
    /// The last day with data (inclusive). Default: the current UTC day at creation.
    public var today: CalendarDay
    /// Claude Code records per day of history (keys stay unique up to `max(users + apiKeys, …)` × 10
    /// terminals, extra synthetic actors are added as needed). Default: 5.
    public var claudeCodeRowsPerDay: Int = 5
    /// Results per daily bucket of `usage_report/messages` when grouped by api_key_id, workspace_id, model
    /// and service_tier (capped by the number of distinct combinations). Default: 4.
    public var usageResultsPerBucket: Int = 4
    /// Results per daily bucket of `cost_report` when grouped by workspace_id and description (capped by
    /// the number of distinct combinations). Default: 3.
    public var costResultsPerBucket: Int = 3
    /// The seed every generated value derives from. Default: 42.
    public var seed: UInt64 = 42

    /// The default configuration: today's UTC day is the last day of a 14-day history.
    public init() {
        let today = CalendarDay(containing: Date())
        self.today = today
        self.historyStart = today.adding(days: -13)
    }

    /// `true` when `day` lies within the history (`historyStart...today`).
    public func hasData(on day: CalendarDay) -> Bool {
        day >= historyStart && day <= today
    }

    /// The days with data, oldest first (empty when `historyStart` is after `today`).
    public var historyDays: [CalendarDay] {
        guard historyStart <= today else { return [] }
        return (0...historyStart.days(until: today)).map { historyStart.adding(days: $0) }
    }
}
