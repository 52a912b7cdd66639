#if canImport(FoundationEssentials)
import struct FoundationEssentials.Date
#else
import struct Foundation.Date
#endif

/// What `/ready` reports: what the pollers last saw of the Admin API, and the brokers' reachability from a
/// check that runs in the background (``refreshBrokers(check:)``, every ``brokerCheckInterval`` while the
/// streamer runs), so a `/ready` probe never turns into a broker request of its own.
actor HealthState {
    /// How often the brokers are checked, and how old a check `/ready` may answer from.
    static let brokerCheckInterval: Duration = .seconds(5)

    private var lastFailure: (at: Date, reason: String)?
    private var lastSuccess: Date?
    private var brokers: (problem: String?, at: ContinuousClock.Instant)?
    private var brokerCheckInFlight: Task<String?, Never>?

    func recordSuccess(at date: Date = Date()) {
        lastSuccess = date
    }

    func recordFailure(_ error: StreamerError, at date: Date = Date()) {
        switch error.code {
        case .adminAPI, .authentication: lastFailure = (date, error.reason)
        default: break
        }
    }

    /// `nil` when the most recent Admin API outcome was a success (or nothing happened yet).
    var adminAPIProblem: String? {
        guard let failure = lastFailure else { return nil }
        if let success = lastSuccess, success > failure.at { return nil }
        return failure.reason
    }

    /// Why the brokers are not reachable (`nil` when they are), from the latest check when it is younger than
    /// `maxAge`; otherwise checks now (joining a check already running).
    ///
    /// - Parameters:
    ///   - maxAge: how old a result may be.
    ///   - check: the broker check (one metadata request), `nil` when it succeeded.
    func brokerProblem(maxAge: Duration, check: @escaping @Sendable () async -> String?) async -> String? {
        if let brokers, ContinuousClock.now - brokers.at < maxAge { return brokers.problem }
        return await refreshBrokers(check: check)
    }

    /// Checks the brokers now, or joins the check already running, and remembers the result.
    ///
    /// - Parameter check: the broker check, `nil` when it succeeded.
    /// - Returns: the problem found, `nil` when the brokers answered.
    @discardableResult
    func refreshBrokers(check: @escaping @Sendable () async -> String?) async -> String? {
        if let brokerCheckInFlight { return await brokerCheckInFlight.value }
        // Single-flight and short: it ends when the check does (the streamer's has a 2 s timeout).
        let task = Task { await check() }
        brokerCheckInFlight = task
        let problem = await task.value
        brokers = (problem, ContinuousClock.now)
        brokerCheckInFlight = nil
        return problem
    }
}
