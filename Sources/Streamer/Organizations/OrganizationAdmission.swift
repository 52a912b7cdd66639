/// How many organizations of a fleet may be in their backfill at once (FIFO): the rest wait their turn.
///
/// Memory, not fairness, is the reason: an organization in its backfill holds every table's request series in
/// flight (their async frames, pages being decoded and published), about 0.4 MiB, so 1,000 organizations at once
/// peaked above 450 MiB and left the allocator holding it. A turn ends when the organization's backfill ends,
/// failed or not, so an organization with a revoked key frees its turn at once; a slow one (a 429 storm) holds one
/// turn of many while the others go on.
/// A task cancelled while it waits (SIGTERM during a fleet's start) leaves the queue at once, without a turn.
actor OrganizationAdmission {
    private var free: Int
    /// Waiters in arrival order, each under a number of its own so a cancelled one can be found and removed.
    private var waiting: [(id: Int, continuation: CheckedContinuation<Bool, Never>)] = []
    private var nextWaiter = 0

    /// - Parameter width: organizations at once; at least 1.
    init(width: Int) {
        self.free = max(1, width)
    }

    /// Runs `body` once a turn is free, and frees the turn when it returns.
    /// - Returns: what `body` returned, or `nil` when the task was cancelled before its turn came (`body` did not
    ///   run).
    func withTurn<Value: Sendable>(_ body: @Sendable () async -> Value) async -> Value? {
        guard await enter() else { return nil }
        let value = await body()
        leave()
        return value
    }

    /// Waits for a turn and returns it; the holder ends it (once) with ``Turn/end()``.
    /// - Returns: the turn, or `nil` when the task was cancelled before it came.
    func turn() async -> Turn? {
        guard await enter() else { return nil }
        return Turn(admission: self)
    }

    /// Takes a turn, waiting for one if none is free; `false` when cancelled first.
    private func enter() async -> Bool {
        if Task.isCancelled { return false }
        if free > 0 {
            free -= 1
            return true
        }
        let id = nextWaiter
        nextWaiter += 1
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                waiting.append((id, continuation))
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    /// Lets a cancelled waiter go without a turn (it may already have been given one: then nothing happens here,
    /// and it ends that turn as any holder does).
    private func cancelWaiter(_ id: Int) {
        guard let index = waiting.firstIndex(where: { $0.id == id }) else { return }
        waiting.remove(at: index).continuation.resume(returning: false)
    }

    fileprivate func leave() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().continuation.resume(returning: true)
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
