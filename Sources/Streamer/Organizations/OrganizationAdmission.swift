/// How many organizations of a fleet may be in their backfill at once (FIFO): the rest wait their turn.
///
/// Memory, not fairness, is the reason: an organization in its backfill holds every table's request series in
/// flight (their async frames, pages being decoded and published), about 0.4 MiB, so 1,000 organizations at once
/// peaked above 450 MiB and left the allocator holding it. A turn ends when the organization's backfill ends,
/// failed or not, so an organization with a revoked key frees its turn at once; a slow one (a 429 storm) holds one
/// turn of many while the others go on.
actor OrganizationAdmission {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// - Parameter width: organizations at once; at least 1.
    init(width: Int) {
        self.free = max(1, width)
    }

    /// Runs `body` once a turn is free, and frees the turn when it returns.
    func withTurn<Value: Sendable>(_ body: @Sendable () async -> Value) async -> Value {
        await enter()
        let value = await body()
        leave()
        return value
    }

    /// Waits for a turn and returns it; the holder ends it (once) with ``Turn/end()``.
    func turn() async -> Turn {
        await enter()
        return Turn(admission: self)
    }

    private func enter() async {
        if free > 0 {
            free -= 1
        } else {
            await withCheckedContinuation { waiting.append($0) }
        }
    }

    fileprivate func leave() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }

    /// One organization's turn, held from ``OrganizationAdmission/turn()`` until ``end()``.
    actor Turn {
        private var admission: OrganizationAdmission?

        fileprivate init(admission: OrganizationAdmission) {
            self.admission = admission
        }

        /// Frees the turn for the next organization; later calls do nothing.
        func end() async {
            guard let admission else { return }
            self.admission = nil
            await admission.leave()
        }
    }

    /// Turns free (tests).
    var freeCount: Int { free }

    /// Callers waiting for a turn (tests).
    var waitingCount: Int { waiting.count }
}
