/// A failure the sandbox serves instead of (or on top of) a normal answer, to exercise clients' retries and
/// error handling.
///
/// Injected faults queue up in order. Each authenticated request takes the first queued fault that applies
/// to it (every fault applies to every request except ``malformedPage(count:pathPrefix:)`` and
/// ``collidingRows(count:pathPrefix:)``, which wait for a successful request on a matching path, and
/// ``unavailable(count:pathPrefix:status:)``, which waits for a request on a matching path) and uses up one
/// of its `count`. For an endpoint that is unavailable for good, use a large count (`Int.max`).
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
    /// The next `count` successful responses on paths starting with `pathPrefix` serve their first row twice:
    /// the copy has every key field unchanged and a new field `sandbox_dimension` (a dimension the key lacks).
    case collidingRows(count: Int, pathPrefix: String)
    /// The next `count` requests on paths starting with `pathPrefix` answer `status` (403
    /// `permission_error` or 404 `not_found_error`): an endpoint the organization's platform or plan lacks.
    case unavailable(count: Int, pathPrefix: String, status: Int)

    /// How many requests the fault still affects.
    var count: Int {
        switch self {
        case .rateLimited(let count, _), .serverErrors(let count, _), .slow(let count, _),
            .malformedPage(let count, _), .collidingRows(let count, _), .unavailable(let count, _, _):
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
        case .collidingRows(let count, let prefix): .collidingRows(count: count - 1, pathPrefix: prefix)
        case .unavailable(let count, let prefix, let status):
            .unavailable(count: count - 1, pathPrefix: prefix, status: status)
        }
    }
}
