import Logging
import Metrics

#if canImport(FoundationEssentials)
import struct FoundationEssentials.Date
#else
import struct Foundation.Date
#endif

/// The typed Anthropic Admin API client: requests, retries, pagination and row mapping. It knows nothing
/// of Kafka.
///
/// A value type over shared, thread-safe parts; copy it freely. Every request is a `GET` with
/// `x-api-key`, `anthropic-version: 2023-06-01`, `user-agent` and `accept: application/json`.
public struct AdminClient: Sendable {
    /// The API version header value.
    static let anthropicVersion = "2023-06-01"

    let configuration: AdminClientConfiguration
    let apiKey: APIKey
    let transport: any HTTPTransport
    let rateLimiter: RequestRateLimiter?
    let logger: Logger
    let environment: RetryEnvironment
    let metrics: ClientMetrics
    let baseURL: String

    /// Creates a client after validating the configuration.
    ///
    /// - Parameters:
    ///   - configuration: where and how to call the API.
    ///   - apiKey: the Admin API key (already checked to start with `sk-ant-admin`).
    ///   - transport: how requests are sent; `nil` for a ``CurlTransport``.
    ///   - rateLimiter: a request budget shared by every client of the same key, acquired before each
    ///     HTTP attempt; `nil` for none.
    ///   - logger: where debug lines about retries go.
    /// - Throws: ``AdminClientError/Code/invalidConfiguration`` when ``AdminClientConfiguration/validate()``
    ///   fails.
    public init(
        configuration: AdminClientConfiguration, apiKey: APIKey, transport: (any HTTPTransport)? = nil,
        rateLimiter: RequestRateLimiter? = nil, logger: Logger
    ) throws(AdminClientError) {
        try self.init(
            configuration: configuration, apiKey: apiKey, transport: transport, rateLimiter: rateLimiter,
            logger: logger, environment: .live, metricsFactory: MetricsSystem.factory)
    }

    /// Creates a client with injected time, randomness and metrics (tests).
    init(
        configuration: AdminClientConfiguration, apiKey: APIKey, transport: (any HTTPTransport)?,
        rateLimiter: RequestRateLimiter?, logger: Logger, environment: RetryEnvironment,
        metricsFactory: any MetricsFactory
    ) throws(AdminClientError) {
        try configuration.validate()
        self.configuration = configuration
        self.apiKey = apiKey
        self.transport = transport ?? CurlTransport()
        self.rateLimiter = rateLimiter
        self.logger = logger
        self.environment = environment
        self.metrics = ClientMetrics(factory: metricsFactory)
        self.baseURL = configuration.normalizedBaseURL
    }

    /// GET /v1/organizations/me, as the organization table's row.
    ///
    /// - Returns: the organization's row (`id`, `name`, … as the event contract says).
    /// - Throws: ``AdminClientError`` (HTTP errors after retries, malformed responses, cancellation).
    public func organization() async throws(AdminClientError) -> AdminRow {
        let definition = AdminTable.organization.definition
        let target = RequestTarget(path: definition.path, query: definition.fixedQuery)
        let response = try await send(target, table: .organization)
        let row = try ResponseDecoder.singleRow(response, encoder: definition.encoder)
        // One row per run, read back into values for the callers that look inside it (ids, names).
        guard case .object(let fields)? = try? JSONParser.parse(Array(row.value)) else {
            throw ResponseDecoder.malformed(response, path: "$", expected: "an object")
        }
        return AdminRow(table: .organization, fields: fields)
    }

    /// The definition this client reads `table` with: the table's own, except `usage_report`, which is grouped
    /// by ``AdminClientConfiguration/usageGroupBy`` too.
    ///
    /// - Parameter table: the table.
    public func definition(for table: AdminTable) -> TableDefinition {
        table == .usageReport && !configuration.usageGroupBy.isEmpty
            ? .usageReport(groupBy: configuration.usageGroupBy) : table.definition
    }

    /// Pages of a table, lazily: one HTTP request series per page, never the whole table in memory.
    /// `resumeToken` continues a .day/.window query after a checkpointed page (it is the `page` token).
    ///
    /// Every response is one page, even an empty one. `workspace_members` first lists every workspace
    /// (archived included), then yields each workspace's member pages in turn.
    ///
    /// - Parameters:
    ///   - table: the table to read.
    ///   - query: `.day` for `claude_code_usage`, `.window` (or `.day`) for `usage_report`/`cost_report`,
    ///     `.snapshot` for the state tables; another combination fails on the first `next()` with
    ///     ``AdminClientError/Code/invalidConfiguration``.
    ///   - resumeToken: a page's ``AdminPage/nextToken`` to continue after it (`page=` for report tables,
    ///     `after_id=` for list tables); not supported for `organization` and `workspace_members`.
    /// - Returns: the pages, as an async sequence with typed `AdminClientError` failures.
    public func pages(_ table: AdminTable, query: TableQuery, resumeToken: String? = nil) -> AdminPageSequence {
        AdminPageSequence(client: self, table: table, query: query, resumeToken: resumeToken)
    }
}

/// The time, randomness and sleeping the retry loop uses, injectable so tests never really wait.
struct RetryEnvironment: Sendable {
    /// Waits `duration`; throws when cancelled.
    var sleep: @Sendable (Duration) async throws -> Void
    /// A monotonic clock reading (any origin).
    var uptime: @Sendable () async -> Duration
    /// The wall-clock time, for `retry-after` HTTP-dates.
    var wallClock: @Sendable () -> Date
    /// A uniformly random duration in `0...upperBound` (full jitter).
    var jitter: @Sendable (Duration) -> Duration

    static let origin = ContinuousClock.now

    static let live = RetryEnvironment(
        sleep: { try await Task.sleep(for: $0) },
        uptime: { ContinuousClock.now - RetryEnvironment.origin },
        wallClock: { Date() },
        jitter: { upperBound in
            let nanoseconds = upperBound.nanoseconds
            guard nanoseconds > 0 else { return .zero }
            return .nanoseconds(Int64.random(in: 0...nanoseconds))
        })
}

/// The client's metrics, the per-table ones created once.
struct ClientMetrics: Sendable {
    let factory: any MetricsFactory
    private let retryWait: [AdminTable: Metrics.Timer]
    private let requestDuration: [AdminTable: Metrics.Timer]

    init(factory: any MetricsFactory) {
        self.factory = factory
        var retryWait: [AdminTable: Metrics.Timer] = [:]
        var requestDuration: [AdminTable: Metrics.Timer] = [:]
        for table in AdminTable.allCases {
            let dimensions = [(MetricLabels.tableDimension, table.name)]
            retryWait[table] = Timer(label: MetricLabels.retryWait, dimensions: dimensions, factory: factory)
            requestDuration[table] = Timer(
                label: MetricLabels.requestDuration, dimensions: dimensions, factory: factory)
        }
        self.retryWait = retryWait
        self.requestDuration = requestDuration
    }

    func recordRequest(table: AdminTable, path: String, status: String, duration: Duration) {
        Counter(
            label: MetricLabels.requests,
            dimensions: [
                (MetricLabels.tableDimension, table.name), (MetricLabels.endpointDimension, Self.endpoint(path)),
                (MetricLabels.statusDimension, status),
            ],
            factory: factory
        ).increment()
        requestDuration[table]?.record(duration: duration)
    }

    func recordRetry(table: AdminTable, reason: String, wait: Duration) {
        Counter(
            label: MetricLabels.retries,
            dimensions: [(MetricLabels.tableDimension, table.name), (MetricLabels.reasonDimension, reason)],
            factory: factory
        ).increment()
        retryWait[table]?.record(duration: wait)
    }

    /// Collections whose next path segment is an id.
    private static let collections: Set<Substring> = ["workspaces", "users", "api_keys", "invites"]

    /// `path` with every id segment replaced by `{id}`, so the `endpoint` dimension stays low-cardinality:
    /// `/v1/organizations/workspaces/wrkspc_01/members` → `/v1/organizations/workspaces/{id}/members`.
    static func endpoint(_ path: String) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        var result: [Substring] = []
        for (index, segment) in segments.enumerated() {
            if index > 0, collections.contains(segments[index - 1]), !segment.isEmpty {
                result.append("{id}")
            } else {
                result.append(segment)
            }
        }
        return result.joined(separator: "/")
    }
}
