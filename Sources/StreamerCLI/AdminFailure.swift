import AdminClient
import Streamer

/// Admin API errors as one line: a refused key is exit 77, an unreachable API says which base URL could not be
/// reached (no raw transport dump), anything else keeps the client's message.
enum AdminFailure {
    static func streamerError(_ error: AdminClientError, baseURL: String, scope: String) -> StreamerError {
        switch error.code {
        case .unauthorized, .forbidden, .invalidKey:
            return StreamerError(code: .authentication, reason: "\(scope): \(error.description)")
        case .invalidConfiguration:
            return StreamerError(code: .configuration, reason: "\(scope): \(error.description)")
        case .transport, .deadlineExceeded:
            return StreamerError(
                code: .adminAPI,
                reason: "\(scope): cannot reach the Admin API at \(baseURL) (no HTTP response); check base-url, DNS, proxies and egress rules")
        default:
            return StreamerError(code: .adminAPI, reason: "\(scope): \(error.description)")
        }
    }
}
