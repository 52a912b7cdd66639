/// Sends HTTP GET requests for the client. Production uses ``CurlTransport``; tests inject fakes.
public protocol HTTPTransport: Sendable {
    /// Performs one GET. Throws only for transport failures (no HTTP response).
    ///
    /// - Parameter request: the URL, headers and timeout.
    /// - Returns: the response, whatever its status.
    /// - Throws: any error when no HTTP response arrived (connection refused, timeout, TLS, …);
    ///   `CancellationError` when the task was cancelled.
    func get(_ request: HTTPRequest) async throws -> HTTPResponse
}
