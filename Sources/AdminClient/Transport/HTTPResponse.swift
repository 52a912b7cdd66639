/// An HTTP response as the transport received it.
public struct HTTPResponse: Sendable {
    /// The status code, e.g. `200`.
    public var status: Int
    /// The headers, names lower-cased.
    public var headers: [String: String]
    /// The whole body.
    public var body: [UInt8]

    /// Creates a response; header names are lower-cased here.
    ///
    /// - Parameters:
    ///   - status: the status code.
    ///   - headers: header names and values (any case).
    ///   - body: the body bytes.
    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        var lowered: [String: String] = [:]
        for (name, value) in headers { lowered[name.lowercased()] = value }
        self.headers = lowered
        self.body = body
    }
}
