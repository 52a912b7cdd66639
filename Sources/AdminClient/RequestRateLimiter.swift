import Logging
import Metrics

/// The request budget of one admin key, shared by every poller of that key (docs/architecture.md §1.2).
///
/// A token bucket of `burst` tokens refilled at the current rate; each ``acquire()`` takes one token, waiting its
/// turn when the bucket is empty (in arrival order), and one of `maxInFlight` slots, given back by
/// ``finished(_:)``. Every acquisition records its wait in the `admin.rate_limit.wait` timer.
///
/// When adaptive, the rate moves between a floor and the ceiling `requestsPerSecond` as a TCP congestion window
/// does (CUBIC-like): it starts at an eighth of the ceiling, with a bucket of at most one second's worth, and doubles after each second's worth of answered
/// requests until the first throttle (429 or 529). A throttle multiplies the rate by 0.7 — once per second, so a
/// burst of 429s from requests already in flight counts once — and remembers the rate it happened at; the rate
/// then climbs back quickly to 90 % of that and probes slowly above it (1 % of it per second's worth). A
/// `retry-after` of 2 s or more pauses every request of the key until it has passed; a shorter one delays only the
/// request that got it (its retry). The rate in force is the gauge `admin.request_rate`, and a change of more than
/// 25 % since the last one logged is logged.
public actor RequestRateLimiter {
    /// What an attempt's answer says about the budget.
    public enum Signal: Sendable, Hashable {
        /// An answer that says nothing about the rate (2xx, 4xx, 5xx other than 529, a transport failure).
        case answered
        /// 429 or 529: too fast; `retryAfter` is the wait the API asked for, already capped, if any.
        case throttled(retryAfter: Duration?)
    }

    private let ceiling: Double
    private let floor: Double
    private let burst: Double
    private let isAdaptive: Bool
    private let maxInFlight: Int
    private var rate: Double
    private var tokens: Double
    private var updated: Duration
    private var pausedUntil: Duration = .zero
    private var isSlowStart = true
    private var answeredSinceChange = 0.0
    /// The rate at the last throttle: the API's limit is about there.
    private var throttledAt: Double? = nil
    /// When the rate was last lowered: throttles until a second later count as the same one.
    private var loweredAt: Duration? = nil
    private var loggedRate: Double
    private var inFlight = 0
    private var slotWaiters: [CheckedContinuation<Void, Never>] = []
    private let now: @Sendable () -> Duration
    private let sleep: @Sendable (Duration) async throws -> Void
    private let waited: Metrics.Timer
    private let rateGauge: Gauge
    private let logger: Logger?

    /// Creates a limiter with a full bucket.
    ///
    /// - Parameters:
    ///   - requestsPerSecond: the sustained rate (the ceiling when adaptive); values below one request per hour
    ///     (or not finite) are raised to that.
    ///   - burst: how many requests may go at once after a quiet period; at least 1.
    ///   - adaptive: adapt the rate to the API's answers (see the type's documentation). Default: `false`.
    ///   - maxInFlight: requests in flight at once. Default: unlimited.
    ///   - logger: where a settled rate is logged; `nil` for nowhere.
    ///   - metricDimensions: dimensions of the rate gauge and the wait histogram, e.g. the organization a fleet's
    ///     key belongs to (several limiters in one process would otherwise overwrite one gauge). Default: none.
    public init(
        requestsPerSecond: Double, burst: Int, adaptive: Bool = false, maxInFlight: Int = .max, logger: Logger? = nil,
        metricDimensions: [(String, String)] = []
    ) {
        let origin = ContinuousClock.now
        self.init(
            requestsPerSecond: requestsPerSecond, burst: burst, adaptive: adaptive, maxInFlight: maxInFlight,
            logger: logger, now: { ContinuousClock.now - origin }, sleep: { try await Task.sleep(for: $0) },
            metricDimensions: metricDimensions)
    }

    /// Creates a limiter over an injected clock and metrics factory (tests).
    init(
        requestsPerSecond: Double, burst: Int, adaptive: Bool = false, maxInFlight: Int = .max, logger: Logger? = nil,
        now: @escaping @Sendable () -> Duration, sleep: @escaping @Sendable (Duration) async throws -> Void,
        metricsFactory: any MetricsFactory = MetricsSystem.factory, metricDimensions: [(String, String)] = []
    ) {
        let minimumRate = 1.0 / 3600
        let ceiling = requestsPerSecond.isFinite ? max(requestsPerSecond, minimumRate) : minimumRate
        self.ceiling = ceiling
        self.floor = min(ceiling, max(ceiling / 64, minimumRate))
        self.isAdaptive = adaptive
        self.rate = adaptive ? max(ceiling / 8, self.floor) : ceiling
        self.loggedRate = self.rate
        self.burst = Double(max(burst, 1))
        self.tokens = adaptive ? min(self.burst, max(1, self.rate)) : self.burst
        self.maxInFlight = max(1, maxInFlight)
        self.now = now
        self.sleep = sleep
        self.updated = now()
        self.logger = logger
        self.waited = Metrics.Timer(label: MetricLabels.rateLimitWait, dimensions: metricDimensions, factory: metricsFactory)
        self.rateGauge = Gauge(label: MetricLabels.requestRate, dimensions: metricDimensions, factory: metricsFactory)
        rateGauge.record(rate)
    }

    /// The rate in force, in requests per second.
    public var currentRate: Double { rate }

    /// Slots in flight, and requests waiting for one (tests).
    var slots: (inUse: Int, waiting: Int) { (inFlight, slotWaiters.count) }

    /// Takes one request's worth of budget and a slot in flight, waiting until both are available. Call
    /// ``finished(_:)`` once the attempt has an answer (or failed).
    ///
    /// - Throws: `CancellationError` when the task is cancelled before or while waiting (nothing is kept).
    public func acquire() async throws {
        try Task.checkCancellation()
        while inFlight >= maxInFlight {
            await withCheckedContinuation { slotWaiters.append($0) }
            if Task.isCancelled {
                // Pass the wake-up on: the slot this task was woken for is still free.
                if inFlight < maxInFlight, !slotWaiters.isEmpty { slotWaiters.removeFirst().resume() }
                throw CancellationError()
            }
        }
        inFlight += 1
        var waitedFor = Duration.zero
        do {
            let started = now()
            if pausedUntil > started {
                waitedFor += pausedUntil - started
                try await sleep(pausedUntil - started)
            }
            refill()
            tokens -= 1
            if tokens < 0 {
                // Reserve now, wait for the deficit to refill: later callers queue behind this one.
                let wait = SafeDuration.clamped(seconds: -tokens / rate, maximum: SafeDuration.ceiling) ?? .zero
                do {
                    try await sleep(wait)
                } catch {
                    tokens += 1
                    throw error
                }
                waitedFor += wait
            }
        } catch {
            releaseSlot()
            throw CancellationError()
        }
        waited.record(duration: waitedFor)
    }

    /// Gives back the attempt's slot and adapts the rate to its answer.
    ///
    /// - Parameter signal: what the answer says about the rate.
    public func finished(_ signal: Signal) {
        releaseSlot()
        guard isAdaptive else { return }
        switch signal {
        case .answered:
            answeredSinceChange += 1
            guard answeredSinceChange >= rate else { return }
            answeredSinceChange = 0
            if isSlowStart {
                setRate(rate * 2)
            } else if let limit = throttledAt, rate < 0.9 * limit {
                setRate(min(0.9 * limit, rate + max(1, 0.1 * limit)))
            } else {
                setRate(rate + max(0.02, 0.01 * (throttledAt ?? rate)))
            }
        case .throttled(let retryAfter):
            let current = now()
            if let retryAfter, retryAfter >= .seconds(2) { pausedUntil = max(pausedUntil, current + retryAfter) }
            if let loweredAt, current - loweredAt < .seconds(1) { return }
            loweredAt = current
            isSlowStart = false
            answeredSinceChange = 0
            throttledAt = rate
            setRate(rate * 0.7)
        }
    }

    private func setRate(_ proposed: Double) {
        refill()
        rate = min(ceiling, max(floor, proposed))
        rateGauge.record(rate)
        if abs(rate - loggedRate) > 0.25 * loggedRate {
            loggedRate = rate
            logger?.info("Admin API request rate adapted", metadata: ["admin.request_rate": "\(rate)"])
        }
    }

    private func releaseSlot() {
        inFlight -= 1
        if !slotWaiters.isEmpty { slotWaiters.removeFirst().resume() }
    }

    private func refill() {
        let current = now()
        let elapsed = (current - updated).timeInterval
        updated = current
        // Adaptive: never more than a second's worth at once, or a quiet spell would burst past the API's limit.
        let capacity = isAdaptive ? min(burst, max(1, rate)) : burst
        if elapsed > 0 { tokens = min(capacity, tokens + elapsed * rate) }
    }
}
