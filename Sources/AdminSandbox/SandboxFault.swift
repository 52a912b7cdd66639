/// A failure the sandbox serves instead of (or on top of) a normal answer, to exercise clients' retries and
/// error handling.
///
/// Injected faults queue up in order. Each authenticated request takes the first queued fault that applies
/// to it (every fault applies to every request except ``malformedPage(count:pathPrefix:)``, which waits for
/// a successful request on a matching path) and uses up one of its `count`.
public enum SandboxFault: Sendable, Hashable {
    /// The next `count` requests answer 429 `rate_limit_error` with `retry-after` (seconds) and
    /// `retry-after-ms` headers.
    case rateLimited(count: Int, retryAfterSeconds: Int)
    /// The next `count` requests answer `status` (500 `api_error`, 529 `overloaded_error`, 504
    /// `timeout_error`, other 5xx `api_error`).
    case serverErrors(count: Int, status: Int)
    /// The next `count` responses are delayed by `delay` (then answered normally).
    case slow(count: Int, delay: Duration)
    /// The next `count` successful responses on paths starting with `pathPrefix` are valid JSON of the wrong
    /// shape: `data` an object instead of an array, or a string where a number belongs.
    case malformedPage(count: Int, pathPrefix: String)

    /// How many requests the fault still affects.
    var count: Int {
        switch self {
        case .rateLimited(let count, _), .serverErrors(let count, _), .slow(let count, _),
            .malformedPage(let count, _):
            count
        }
    }

    /// The same fault with one fewer use left.
    var decremented: SandboxFault {
        switch self {
        case .rateLimited(let count, let seconds): .rateLimited(count: count - 1, retryAfterSeconds: seconds)
        case .serverErrors(let count, let status): .serverErrors(count: count - 1, status: status)
        case .slow(let count, let delay): .slow(count: count - 1, delay: delay)
        case .malformedPage(let count, let prefix): .malformedPage(count: count - 1, pathPrefix: prefix)
        }
    }
}
