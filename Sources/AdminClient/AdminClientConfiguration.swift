/// How the Admin API client talks to the API: where, how long to wait, how to retry, who it says it is.
///
/// Every property has a default; call ``validate()`` (the client's initializer does) to check ranges.
public struct AdminClientConfiguration: Sendable, Hashable {
    /// The API's base URL, `http` or `https`, with or without a trailing slash.
    /// Default: `"https://api.anthropic.com"`.
    public var baseURL: String = "https://api.anthropic.com"
    /// Allows a plain `http://` base URL to a host that is not loopback (`--allow-insecure-http`): the key would
    /// travel in clear. Plain HTTP to `127.0.0.0/8`, `::1` or `localhost` is always allowed.
    /// Default: `false`.
    public var allowInsecureHTTP = false
    /// Per-attempt timeouts.
    /// Default: ``Timeouts/init()``.
    public var timeouts: Timeouts = Timeouts()
    /// When and how failed requests are retried.
    /// Default: ``Retry/init()``.
    public var retry: Retry = Retry()
    /// Limits on one listing (request series).
    /// Default: ``Pagination/init()``.
    public var pagination: Pagination = Pagination()
    /// The `user-agent` header sent with every request.
    /// Default: `"anthropic-admin-kafka-streamer/<AdminClientVersion.current> (+https://github.com/anthropic-admin-kafka-streamer)"`.
    public var userAgent: String =
        "anthropic-admin-kafka-streamer/\(AdminClientVersion.current) (+https://github.com/anthropic-admin-kafka-streamer)"

    /// The `usage_report` dimensions grouped by besides the seed's four (api_key_id, workspace_id, model,
    /// service_tier); each becomes a column and a key field. Changing it changes the table's key: give the topic
    /// a new name. Default: none (the seed's grouping and key).
    public var usageGroupBy: [UsageDimension] = []

    /// A configuration with every default.
    public init() {}

    /// Per-attempt timeouts.
    public struct Timeouts: Sendable, Hashable {
        /// How long one HTTP attempt may take, from sending to the last byte of the body.
        /// Default: 60 seconds.
        public var request: Duration = .seconds(60)

        /// The default timeouts.
        public init() {}
    }

    /// When and how failed requests are retried (408, 409, 429, 5xx, 529 and transport failures, unless the
    /// server says `x-should-retry: false`).
    public struct Retry: Sendable, Hashable {
        /// Attempts per request, the first one included; `1` means no retry.
        /// Default: 8.
        public var maxAttempts: Int = 8
        /// The first backoff's upper bound; each later one doubles, with full jitter.
        /// Default: 500 milliseconds.
        public var initialBackoff: Duration = .milliseconds(500)
        /// The largest backoff upper bound.
        /// Default: 30 seconds.
        public var maxBackoff: Duration = .seconds(30)
        /// The longest wait a `retry-after`/`retry-after-ms` header can ask for; longer asks (`1e30` included)
        /// are cut to this; `inf`, `nan` and unreadable hints are ignored (the client backs off instead).
        /// Default: 60 seconds, the longest wait the Anthropic SDKs honour.
        public var maxRetryAfter: Duration = .seconds(60)
        /// The whole budget of one request, every attempt and wait included; no retry starts a wait that
        /// would end past it.
        /// Default: 600 seconds.
        public var deadline: Duration = .seconds(600)

        /// The default retry policy.
        public init() {}

        /// No retries: one attempt per request.
        public static let none: Retry = {
            var retry = Retry()
            retry.maxAttempts = 1
            return retry
        }()
    }

    /// Limits on one listing: a time table's day or window, the workspaces listing, one workspace's members.
    public struct Pagination: Sendable, Hashable {
        /// The most pages one listing may have; a listing that still has more after this many fails with
        /// ``AdminClientError/Code/runawayPagination`` (as does one whose cursor repeats).
        /// Default: 100 000 (100 million rows at 1000 rows a page).
        public var maxPagesPerSeries: Int = 100_000

        /// The default limits.
        public init() {}
    }

    /// Checks the base URL and every range.
    ///
    /// - Throws: ``AdminClientError/Code/invalidConfiguration`` naming the first bad setting.
    public func validate() throws(AdminClientError) {
        func invalid(_ reason: String) -> AdminClientError {
            AdminClientError(code: .invalidConfiguration, reason: reason)
        }
        let lowered = baseURL.lowercased()
        let rest: Substring
        if lowered.hasPrefix("https://") {
            rest = baseURL.dropFirst("https://".count)
        } else if lowered.hasPrefix("http://") {
            rest = baseURL.dropFirst("http://".count)
        } else {
            throw invalid("the base URL must start with http:// or https:// (got \"\(baseURL)\")")
        }
        let host = rest.prefix { $0 != "/" }
        if host.isEmpty || host.contains(where: { $0.isWhitespace || $0 == "?" || $0 == "#" || $0 == "@" }) {
            throw invalid("the base URL needs a host and no user, query or fragment (got \"\(baseURL)\")")
        }
        if rest.contains(where: { $0 == "?" || $0 == "#" || $0.isWhitespace }) {
            throw invalid("the base URL may not contain a query, a fragment or spaces (got \"\(baseURL)\")")
        }
        if lowered.hasPrefix("http://"), !allowInsecureHTTP, !Self.isLoopback(hostAndPort: String(host)) {
            throw invalid(
                "the base URL \(baseURL) is plain http:// to a host that is not loopback (127.0.0.0/8, ::1, "
                    + "localhost): the admin key would travel in clear. Use https://, or set allowInsecureHTTP "
                    + "(--allow-insecure-http) if you really mean it")
        }
        if timeouts.request <= .zero || timeouts.request > .seconds(3600) {
            throw invalid("the request timeout (--request-timeout) must be more than 0 and at most 1 hour")
        }
        if retry.maxAttempts < 1 { throw invalid("retry.maxAttempts must be at least 1 (1 means no retry)") }
        if retry.initialBackoff < .zero { throw invalid("retry.initialBackoff may not be negative") }
        if retry.maxBackoff < retry.initialBackoff {
            throw invalid("retry.maxBackoff must be at least retry.initialBackoff")
        }
        if retry.maxRetryAfter < .zero || retry.maxRetryAfter > SafeDuration.ceiling {
            throw invalid("retry.maxRetryAfter must be between 0 and 10 years")
        }
        if retry.deadline <= .zero || retry.deadline > SafeDuration.ceiling {
            throw invalid("retry.deadline must be more than 0 and at most 10 years")
        }
        if retry.maxBackoff > SafeDuration.ceiling { throw invalid("retry.maxBackoff must be at most 10 years") }
        if !(1...10_000_000).contains(pagination.maxPagesPerSeries) {
            throw invalid("pagination.maxPagesPerSeries (--max-pages-per-series) must be between 1 and 10000000")
        }
        if userAgent.isEmpty || userAgent.contains(where: { $0.isNewline || $0.asciiValue.map { $0 < 0x20 } == true }) {
            throw invalid("the user agent must be a non-empty single line")
        }
        if let repeated = usageGroupBy.first(where: { dimension in usageGroupBy.filter { $0 == dimension }.count > 1 }) {
            throw invalid("usage_report dimension '\(repeated.rawValue)' is listed twice in usageGroupBy")
        }
    }

    /// Whether the host of `host[:port]` (`[v6]:port` for IPv6) is loopback: `localhost`, `127.0.0.0/8` or `::1`.
    static func isLoopback(hostAndPort: String) -> Bool {
        var host = Substring(hostAndPort.lowercased())
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return false }
            host = host[host.index(after: host.startIndex)..<close]
            return host == "::1" || host == "0:0:0:0:0:0:0:1"
        }
        if let colon = host.firstIndex(of: ":") { host = host[..<colon] }
        if host == "localhost" || host == "localhost." { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4,
            octets.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) && UInt8($0) != nil })
        else { return false }
        return octets[0] == "127"
    }

    /// The base URL without trailing slashes.
    var normalizedBaseURL: String {
        var url = Substring(baseURL)
        while url.hasSuffix("/") { url = url.dropLast() }
        return String(url)
    }
}
