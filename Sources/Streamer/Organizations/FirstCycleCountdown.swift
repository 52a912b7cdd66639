/// Counts a streamer's tables through their first cycle and says so once, when the last one has finished it
/// (succeeded, failed or been switched off) or when the streamer stops before that.
///
/// A fleet holds an organization's ``OrganizationAdmission`` turn until then: a first cycle is the backfill,
/// the part of a run whose memory grows with the organization.
actor FirstCycleCountdown {
    private var remaining: Int
    private var done: (@Sendable () async -> Void)?

    /// - Parameters:
    ///   - tables: how many tables must finish their first cycle.
    ///   - done: called once, by the last of them or by ``stop()``.
    init(tables: Int, done: @escaping @Sendable () async -> Void) {
        self.remaining = tables
        self.done = done
    }

    /// One table has finished its first cycle (call once per table).
    func finished() async {
        remaining -= 1
        if remaining <= 0 { await stop() }
    }

    /// The streamer stops: whatever is left will not finish.
    func stop() async {
        guard let done else { return }
        self.done = nil
        await done()
    }
}
