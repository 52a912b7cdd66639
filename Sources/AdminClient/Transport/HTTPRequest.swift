/// One HTTP GET as the client wants it sent.
///
/// Its headers hold the `x-api-key`: never log or print them. The URL holds no secret.
public struct HTTPRequest: Sendable {
    /// The absolute URL with its query, e.g. `https://api.anthropic.com/v1/organizations/users?limit=1000`.
    public var url: String
    /// The headers in the order they are sent; names are lower-case.
    public var headers: [(name: String, value: String)]
    /// How long the attempt may take.
    public var timeout: Duration

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - url: absolute URL with query.
    ///   - headers: header names (lower-case) and values.
    ///   - timeout: the attempt's timeout.
    public init(url: String, headers: [(name: String, value: String)], timeout: Duration) {
        self.url = url
        self.headers = headers
        self.timeout = timeout
    }

    /// The value of the first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }
}
