/// An error answer in the Admin API's documented shape:
/// `{"type":"error","error":{"type":…,"message":…},"request_id":"req_…"}`.
struct SandboxAPIError: Error, Sendable, Hashable {
    let status: Int
    /// `error.type`, e.g. `invalid_request_error`.
    let type: String
    let message: String
    /// Extra response headers (e.g. `retry-after`).
    var headers: [String: String] = [:]

    static func invalidRequest(_ message: String) -> SandboxAPIError {
        SandboxAPIError(status: 400, type: "invalid_request_error", message: message)
    }

    static func notFound(_ message: String) -> SandboxAPIError {
        SandboxAPIError(status: 404, type: "not_found_error", message: message)
    }

    static let authentication = SandboxAPIError(
        status: 401, type: "authentication_error", message: "invalid x-api-key")

    static func rateLimited(retryAfterSeconds: Int) -> SandboxAPIError {
        SandboxAPIError(
            status: 429, type: "rate_limit_error",
            message: "Number of requests has exceeded your rate limit. Please try again later.",
            headers: [
                "retry-after": String(retryAfterSeconds), "retry-after-ms": String(retryAfterSeconds * 1000),
                "x-should-retry": "true",
            ])
    }

    /// 403 `permission_error`, or (any other status) 404 `not_found_error`: an endpoint the organization's
    /// platform or plan does not offer.
    static func unavailable(status: Int) -> SandboxAPIError {
        status == 403
            ? SandboxAPIError(
                status: 403, type: "permission_error", message: "This endpoint is not available for your organization.")
            : SandboxAPIError(status: 404, type: "not_found_error", message: "Not found")
    }

    static func server(status: Int) -> SandboxAPIError {
        let type: String
        let message: String
        switch status {
        case 529: (type, message) = ("overloaded_error", "Overloaded")
        case 504: (type, message) = ("timeout_error", "Request timed out")
        default: (type, message) = ("api_error", "Internal server error")
        }
        return SandboxAPIError(status: status, type: type, message: message, headers: ["x-should-retry": "true"])
    }
}
