/// Every error the Admin API client throws.
///
/// The text never contains the key or request headers. `requestID` is the response's `request-id`
/// header (safe to log and to quote to Anthropic support) when there was a response.
public struct AdminClientError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is. New codes may be added; switch with a `default`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable {
            case invalidKey = "invalid_key"
            case unauthorized
            case forbidden
            case notFound = "not_found"
            case badRequest = "bad_request"
            case rateLimited = "rate_limited"
            case server
            case transport
            case malformedResponse = "malformed_response"
            case deadlineExceeded = "deadline_exceeded"
            case invalidConfiguration = "invalid_configuration"
            case runawayPagination = "runaway_pagination"
            case cancelled
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The key does not look like an Admin API key; nothing was sent.
        public static let invalidKey = Code(.invalidKey)
        /// 401: the API refused the key.
        public static let unauthorized = Code(.unauthorized)
        /// 403: the key may not read this resource.
        public static let forbidden = Code(.forbidden)
        /// 404: the resource does not exist (an error, never "no data").
        public static let notFound = Code(.notFound)
        /// 400 or another 4xx that retrying cannot fix.
        public static let badRequest = Code(.badRequest)
        /// 429 after every allowed retry.
        public static let rateLimited = Code(.rateLimited)
        /// 5xx or 529 after every allowed retry.
        public static let server = Code(.server)
        /// The request never got an HTTP response (connection refused, timeout, TLS) after every retry.
        public static let transport = Code(.transport)
        /// The response was not what the documented wire format says.
        public static let malformedResponse = Code(.malformedResponse)
        /// The overall deadline for one request (with its retries) passed.
        public static let deadlineExceeded = Code(.deadlineExceeded)
        /// The client's configuration is invalid (e.g. a base URL that is not http(s)).
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// A listing would not end: the API sent a cursor it had already sent in the same listing (a loop), or
        /// more pages than ``AdminClientConfiguration/Pagination/maxPagesPerSeries``. That listing stops; it is
        /// never retried within the request.
        public static let runawayPagination = Code(.runawayPagination)
        /// The calling task was cancelled before the request finished; nothing is wrong with the API.
        public static let cancelled = Code(.cancelled)

        public var description: String { value.rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// A sentence saying what went wrong and what to do; never contains secrets.
    public let reason: String
    /// The endpoint path involved, e.g. `/v1/organizations/users`.
    public let endpoint: String?
    /// The HTTP status, when a response arrived.
    public let status: Int?
    /// The response's `request-id` header, when a response arrived.
    public let requestID: String?
    /// Where the error was created.
    public let file: String
    /// Where the error was created.
    public let line: Int

    /// Creates an error.
    public init(
        code: Code, reason: String, endpoint: String? = nil, status: Int? = nil, requestID: String? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.reason = reason
        self.endpoint = endpoint
        self.status = status
        self.requestID = requestID
        self.file = file
        self.line = line
    }

    public var description: String {
        var text = "Admin API error (\(code))"
        if let endpoint { text += " on \(endpoint)" }
        if let status { text += ", HTTP \(status)" }
        text += ": \(reason)"
        if let requestID { text += " [request-id \(requestID)]" }
        return text
    }
}
