import Metrics

/// A shared request budget for one admin key (token bucket). All pollers of one key share one instance.
///
/// The bucket holds up to `burst` tokens and refills at `requestsPerSecond`. Each ``acquire()`` takes one
/// token, waiting its turn when the bucket is empty; waiters are served in the order they arrived. Every
/// acquisition records how long it waited in the `admin.rate_limit.wait` timer (zero when there was room).
public actor RequestRateLimiter {
    private let rate: Double
    private let burst: Double
    private var tokens: Double
    private var updated: Duration
    private let now: @Sendable () -> Duration
    private let sleep: @Sendable (Duration) async throws -> Void
    private let waited: Metrics.Timer

    /// Creates a limiter with a full bucket.
    ///
    /// - Parameters:
    ///   - requestsPerSecond: the sustained rate; values below one request per hour (or not finite) are
    ///     raised to that.
    ///   - burst: how many requests may go at once after a quiet period; at least 1.
    public init(requestsPerSecond: Double, burst: Int) {
        let origin = ContinuousClock.now
        self.init(
            requestsPerSecond: requestsPerSecond, burst: burst,
            now: { ContinuousClock.now - origin },
            sleep: { try await Task.sleep(for: $0) })
    }

    /// Creates a limiter over an injected clock and metrics factory (tests).
    init(
        requestsPerSecond: Double, burst: Int, now: @escaping @Sendable () -> Duration,
        sleep: @escaping @Sendable (Duration) async throws -> Void,
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        let minimumRate = 1.0 / 3600
        self.rate = requestsPerSecond.isFinite ? max(requestsPerSecond, minimumRate) : minimumRate
        self.burst = Double(max(burst, 1))
        self.tokens = self.burst
        self.now = now
        self.sleep = sleep
        self.updated = now()
        self.waited = Metrics.Timer(label: MetricLabels.rateLimitWait, factory: metricsFactory)
    }

    /// Takes one request's worth of budget, waiting until it is available.
    ///
    /// - Throws: `CancellationError` when the task is cancelled before or while waiting (the token is
    ///   given back).
    public func acquire() async throws {
        try Task.checkCancellation()
        refill()
        tokens -= 1
        if tokens >= 0 {
            waited.record(duration: .zero)
            return
        }
        // Reserve now, wait for the deficit to refill: later callers queue behind this one.
        let wait = SafeDuration.clamped(seconds: -tokens / rate, maximum: SafeDuration.ceiling) ?? .zero
        do {
            try await sleep(wait)
        } catch {
            tokens += 1
            throw CancellationError()
        }
        waited.record(duration: wait)
    }

    private func refill() {
        let current = now()
        let elapsed = (current - updated).timeInterval
        updated = current
        if elapsed > 0 { tokens = min(burst, tokens + elapsed * rate) }
    }
}
