/// Metadata keys of the Admin API client's log lines (dotted, lower-case).
public enum LoggingKeys {
    /// The table being read, e.g. `cost_report`.
    public static let table = "admin.table"
    /// The endpoint path without query, e.g. `/v1/organizations/users`.
    public static let endpoint = "admin.endpoint"
    /// The 1-based attempt number of a request.
    public static let attempt = "admin.attempt"
    /// The wait before the next attempt, in milliseconds.
    public static let retryDelayMilliseconds = "admin.retry.delay_ms"
    /// Why a request is retried (`rate_limited`, `server_error`, `transport_error`, …).
    public static let retryReason = "admin.retry.reason"
    /// The HTTP status, or `transport_error`.
    public static let status = "admin.status"
    /// The response's `request-id`.
    public static let requestID = "admin.request.id"
    /// The 0-based page index within a listing.
    public static let page = "admin.page"
    /// The number of rows in a page.
    public static let rowCount = "admin.rows"
}
