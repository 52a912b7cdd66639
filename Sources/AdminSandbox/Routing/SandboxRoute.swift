import AdminClient

/// A validated request: which endpoint and with which parameters.
enum SandboxRoute: Sendable, Hashable {
    /// `/v1/organizations/me`.
    case organization
    /// One of the list endpoints.
    case list(ListKind, ListQuery)
    /// `/v1/organizations/usage_report/claude_code`: records `offset..<offset+limit` of `day`.
    case claudeCode(day: CalendarDay, offset: Int, limit: Int)
    /// `/v1/organizations/usage_report/messages` or `/v1/organizations/cost_report`.
    case report(ReportKind, ReportQuery)
    /// `/v1/organizations/rate_limits` (`workspaceID` nil) or `/v1/organizations/workspaces/{id}/rate_limits`:
    /// entries `offset..<offset+limit`, every remaining one when `limit` is nil.
    case rateLimits(workspaceID: String?, offset: Int, limit: Int?)

    /// The list endpoints.
    enum ListKind: Sendable, Hashable {
        case workspaces(includeArchived: Bool, includeDefault: Bool)
        case apiKeys(status: String?, workspaceID: String?, createdByUserID: String?)
        case invites
        case users(email: String?)
        case members(workspaceID: String)
    }

    /// The report endpoints with daily buckets.
    enum ReportKind: Sendable, Hashable {
        case usage
        case cost
    }

    /// `limit`, `after_id`, `before_id` of a list request.
    struct ListQuery: Sendable, Hashable {
        var limit: Int
        var afterID: String?
        var beforeID: String?
    }

    /// The buckets of a report request: days `pageStart..<min(pageStart + limit, end)`.
    struct ReportQuery: Sendable, Hashable {
        /// The first bucket of the whole request (from `starting_at`).
        var start: CalendarDay
        /// The first day after the last bucket (from `ending_at`, or today + 1).
        var end: CalendarDay
        /// The first bucket of this page (from `page`, else `start`).
        var pageStart: CalendarDay
        /// Buckets per page.
        var limit: Int
        /// Validated `group_by[]` dimensions.
        var groupBy: Set<String>
    }
}
