import Dispatch
import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The production transport: one `URLSession` (libcurl on Linux) per instance, so connections are reused
/// across requests. Redirects are not followed (the `x-api-key` header must never go to another host): a
/// 3xx comes back as a response and the client reports it as an error.
public final class URLSessionTransport: HTTPTransport {
    private let session: URLSession

    /// Creates a transport with its own session.
    ///
    /// - Parameter configuration: the client's configuration (its request timeout bounds each attempt).
    public init(configuration: AdminClientConfiguration) {
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.timeoutIntervalForRequest = configuration.timeouts.request.timeInterval
        sessionConfiguration.timeoutIntervalForResource = configuration.timeouts.request.timeInterval
        sessionConfiguration.httpCookieAcceptPolicy = .never
        sessionConfiguration.httpShouldSetCookies = false
        sessionConfiguration.urlCache = nil
        sessionConfiguration.requestCachePolicy = .reloadIgnoringLocalCacheData
        sessionConfiguration.httpMaximumConnectionsPerHost = 4
        self.session = URLSession(
            configuration: sessionConfiguration, delegate: RedirectRefusingDelegate(), delegateQueue: nil)
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    /// Performs one GET with `URLSession`.
    ///
    /// - Parameter request: URL, headers, timeout.
    /// - Returns: the response with lower-cased header names.
    /// - Throws: `URLError` (or another transport error) when no response arrived; `CancellationError`
    ///   when cancelled.
    public func get(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let url = URL(string: request.url) else {
            throw TransportFailure(description: "the URL could not be parsed")
        }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = "GET"
        urlRequest.timeoutInterval = request.timeout.timeInterval
        urlRequest.cachePolicy = .reloadIgnoringLocalCacheData
        for header in request.headers {
            urlRequest.setValue(header.value, forHTTPHeaderField: header.name)
        }
        let (data, response): (Data, URLResponse)
        do {
            (data, response) = try await perform(urlRequest)
        } catch {
            try Task.checkCancellation()
            throw error
        }
        guard let http = response as? HTTPURLResponse else {
            throw TransportFailure(description: "the response was not HTTP")
        }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            headers[String(describing: name).lowercased()] = String(describing: value)
        }
        return HTTPResponse(status: http.statusCode, headers: headers, body: [UInt8](data))
    }
}

extension URLSessionTransport {
    /// Runs one data task, bridged with a continuation.
    ///
    /// Not `URLSession.data(for:)`: on swift-corelibs-foundation its cancellation handler calls into the
    /// session's queue synchronously while holding the task's status lock, and deadlocks when a response
    /// completes at the same moment (seen on SIGTERM during a poll). Here a cancellation only schedules
    /// `cancel()` on another queue.
    fileprivate func perform(_ request: URLRequest) async throws -> (Data, URLResponse) {
        let task = Mutex<URLSessionDataTask?>(nil)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(Data, URLResponse), any Error>) in
                let dataTask = session.dataTask(with: request) { data, response, error in
                    if let data, let response {
                        continuation.resume(returning: (data, response))
                    } else {
                        continuation.resume(throwing: error ?? TransportFailure(description: "no response"))
                    }
                }
                task.withLock { $0 = dataTask }
                dataTask.resume()
            }
        } onCancel: {
            let dataTask = task.withLock { $0 }
            DispatchQueue.global().async { dataTask?.cancel() }
        }
    }
}

/// A transport failure found by ``URLSessionTransport`` itself (not by URLSession).
struct TransportFailure: Error, Sendable, CustomStringConvertible {
    let description: String
}

/// Refuses every redirect so the API key header never follows one to another host.
private final class RedirectRefusingDelegate: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}

extension Duration {
    /// The duration in seconds as a `TimeInterval`.
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }

    /// The duration in whole milliseconds (rounded down), saturating.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, sumOverflow) = product.addingReportingOverflow(attoseconds / 1_000_000_000_000_000)
        return sumOverflow ? (seconds < 0 ? .min : .max) : sum
    }

    /// The duration in whole nanoseconds (rounded down), saturating.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return product + attoseconds / 1_000_000_000
    }
}
