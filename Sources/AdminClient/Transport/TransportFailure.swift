/// Why a transport got no HTTP response. Its description is safe to log: it never holds a header or the key.
struct TransportFailure: Error, Sendable, CustomStringConvertible {
    /// What kind of failure, for retry decisions and the error text.
    enum Code: Sendable, Hashable {
        case connectionRefused
        case hostNotFound
        case timedOut
        case connectionLost
        case tls
        case invalidRequest
        case badContentEncoding
        case bodyTooLarge
        case other
    }

    let code: Code
    /// The transport's own words (e.g. curl's error buffer: host, port, elapsed time).
    let detail: String

    var description: String {
        let summary =
            switch code {
            case .connectionRefused: "connection refused"
            case .hostNotFound: "host not found"
            case .timedOut: "timed out"
            case .connectionLost: "connection lost"
            case .tls: "TLS handshake failed"
            case .invalidRequest: "invalid request"
            case .badContentEncoding: "the response's content encoding could not be decoded"
            case .bodyTooLarge: "the response body is too large"
            case .other: "transport error"
            }
        return detail.isEmpty ? summary : "\(summary) (\(detail))"
    }
}
