/// The production transport: libcurl, through the process's one ``CurlMulti``.
///
/// Connections are kept alive and reused across requests (and across every `CurlTransport` and
/// `AdminClient` of the process), responses may be gzip-compressed (curl inflates them), each attempt has
/// the request's timeout, and cancelling the calling task aborts the transfer. Redirects are not followed
/// (the `x-api-key` header must never go to another host): a 3xx comes back as a response. A value is cheap
/// and safe to share: many clients (a fleet's organizations) may use one.
public struct CurlTransport: HTTPTransport {
    /// The largest response body accepted; a bigger one fails the attempt rather than filling memory.
    /// Default: 64 MiB (an Admin API page of 1,000 rows is well under 2 MiB).
    public var maximumBodyBytes = 64 << 20

    /// Creates a transport.
    public init() {}

    /// Performs one GET with libcurl.
    ///
    /// - Parameter request: URL, headers, timeout.
    /// - Returns: the response with lower-cased header names and the decoded body.
    /// - Throws: a transport failure (its description names it: connection refused, timed out, TLS…) when
    ///   no response arrived; `CancellationError` when the task was cancelled.
    public func get(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let multi = CurlMulti.shared else {
            throw TransportFailure(code: .other, detail: "libcurl could not be initialised")
        }
        try Task.checkCancellation()
        let transfer = try CurlTransfer(request: request, maximumBodyBytes: maximumBodyBytes)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                transfer.continuation = continuation
                multi.submit(transfer)
            }
        } onCancel: {
            transfer.cancel()
            multi.wake()
        }
    }
}
