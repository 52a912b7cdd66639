import struct Foundation.Date

/// What the pollers last saw of the Admin API, for `/ready`.
actor HealthState {
    private var lastFailure: (at: Date, reason: String)?
    private var lastSuccess: Date?

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
}
