/// Metric labels and dimension names of the Admin API client (dotted, lower-case, low cardinality). Each label
/// ends in its Prometheus suffix (dots become underscores): `.total` for counters, `_seconds` for timers.
public enum MetricLabels {
    /// Counter: HTTP attempts, dimensions `table`, `endpoint` (the path with ids replaced by `{id}`) and
    /// `status` (a number or `transport_error`).
    public static let requests = "admin.requests.total"
    /// Counter: retries, dimensions `table`, `reason`.
    public static let retries = "admin.retries.total"
    /// Timer: time spent waiting before retries, dimension `table`.
    public static let retryWait = "admin.retry.wait_seconds"
    /// Timer: duration of each HTTP attempt, dimension `table`.
    public static let requestDuration = "admin.request.duration_seconds"

    /// Timer: how long each request waited for the key's request budget (``RequestRateLimiter``); zero when
    /// the budget had room. No dimensions: one budget per key.
    public static let rateLimitWait = "admin.rate_limit.wait_seconds"
    /// Gauge: the request rate in force for a key (requests per second), adapted to the API's answers.
    public static let requestRate = "admin.request_rate"

    /// Dimension: the table name (never an id or a path with ids).
    public static let tableDimension = "table"
    /// Dimension: the endpoint path template, e.g. `/v1/organizations/workspaces/{id}/members`.
    public static let endpointDimension = "endpoint"
    /// Dimension: the HTTP status or `transport_error`.
    public static let statusDimension = "status"
    /// Dimension: why a retry happened.
    public static let reasonDimension = "reason"
    /// The `status` value for attempts that got no HTTP response.
    public static let transportErrorStatus = "transport_error"
}
