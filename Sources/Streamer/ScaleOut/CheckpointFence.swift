import Logging
import Metrics

/// Holds back the units of one assignment until the checkpoint topic is stable (``StableOffsetWait``): every
/// transaction open on it at assignment, a crashed previous owner's included, has been committed or aborted.
///
/// One wait serves every unit of the assignment: the first unit to arrive starts it (reading the end offsets
/// then, once, and the last stable offsets until they reach them), the others wait for its outcome. A unit that
/// is stopped stops waiting at once; when no unit waits any more, the wait itself stops. Once the topic was seen
/// stable, later passes (a unit restarting after a failure) go through at once; after a failure the next pass
/// starts a new wait with fresh end offsets.
actor CheckpointFence {
    /// The time waited, by outcome.
    struct Metrics: Sendable {
        /// Waits that ended with the topic stable.
        let stable: Timer
        /// Waits that gave up.
        let gaveUp: Timer

        /// Creates the timers (once per coordinator).
        init() {
            self.stable = Timer(label: MetricLabels.checkpointWait, dimensions: [(MetricLabels.outcomeDimension, "stable")])
            self.gaveUp = Timer(label: MetricLabels.checkpointWait, dimensions: [(MetricLabels.outcomeDimension, "gave_up")])
        }
    }

    private enum State {
        case idle
        case waiting(generation: Int, task: Task<Void, Never>)
        case stable
    }

    private let offsets: any CheckpointOffsets
    private let topic: String
    private let limit: Duration
    private let backoff: (initial: Duration, maximum: Duration)
    private let metrics: Metrics
    private let logger: Logger
    private var state = State.idle
    private var generation = 0
    private var waiters: [Int: CheckedContinuation<Result<Void, StreamerError>, Never>] = [:]
    private var nextWaiter = 0

    /// A fence for the units of one assignment.
    ///
    /// - Parameters:
    ///   - offsets: where the checkpoint topic's offsets are read.
    ///   - topic: the checkpoint topic's name, for logs and errors.
    ///   - limit: how long to wait before giving up (``StableOffsetWait/limit(transactionTimeout:)``).
    ///   - initialBackoff: the pause after the first reading that is behind. Default: 100 ms.
    ///   - maximumBackoff: the longest pause between readings. Default: 2 s.
    ///   - metrics: where the time waited goes.
    ///   - logger: the coordinator's logger.
    init(
        offsets: any CheckpointOffsets, topic: String, limit: Duration,
        initialBackoff: Duration = .milliseconds(100), maximumBackoff: Duration = .seconds(2), metrics: Metrics,
        logger: Logger
    ) {
        self.offsets = offsets
        self.topic = topic
        self.limit = limit
        self.backoff = (initialBackoff, maximumBackoff)
        self.metrics = metrics
        var logger = logger
        logger[metadataKey: LoggingKeys.topic] = "\(topic)"
        self.logger = logger
    }

    /// Returns once the checkpoint topic is stable up to its end at this assignment.
    ///
    /// - Throws: ``StreamerError`` when the wait gives up (the limit passed with a transaction still open) or
    ///   the offsets cannot be read, and when the calling task is cancelled.
    func pass() async throws(StreamerError) {
        if case .stable = state { return }
        let id = nextWaiter
        nextWaiter += 1
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<Void, StreamerError>, Never>) in
                if Task.isCancelled {
                    continuation.resume(returning: .failure(Self.cancelled))
                    return
                }
                waiters[id] = continuation
                if case .idle = state { start() }
            }
        } onCancel: {
            Task { await self.leave(id) }
        }
        try result.get()
    }

    private static let cancelled = StreamerError(code: .kafka, reason: "stopped while waiting for the checkpoint topic")

    private func start() {
        generation += 1
        let generation = generation
        state = .waiting(generation: generation, task: Task { await self.run(generation) })
    }

    /// A unit stopped waiting: it gets its answer now; with no waiter left, the wait stops.
    private func leave(_ id: Int) {
        waiters.removeValue(forKey: id)?.resume(returning: .failure(Self.cancelled))
        if waiters.isEmpty, case .waiting(_, let task) = state {
            task.cancel()
            state = .idle
        }
    }

    private func run(_ generation: Int) async {
        let failure = await readUntilStable()
        guard case .waiting(generation, _) = state else { return }  // stopped: a later wait (if any) answers
        let result: Result<Void, StreamerError>
        if let failure {
            state = .idle
            result = .failure(failure)
        } else {
            state = .stable
            result = .success(())
        }
        for waiter in waiters.values { waiter.resume(returning: result) }
        waiters = [:]
    }

    /// Reads the end offsets, then the last stable offsets until they reach them.
    ///
    /// - Returns: `nil` when the topic is stable; the error that ends the wait otherwise.
    private func readUntilStable() async -> StreamerError? {
        let started = ContinuousClock.now
        var policy: StableOffsetWait
        do {
            policy = StableOffsetWait(ends: try await offsets.ends(), limit: limit)
        } catch {
            return error
        }
        (policy.initialBackoff, policy.maximumBackoff) = backoff
        var readings = 0
        while true {
            let stable: [Int32: Int64]
            do {
                stable = try await offsets.stable()
            } catch {
                return error
            }
            let elapsed = ContinuousClock.now - started
            switch policy.decide(stable: stable, elapsed: elapsed, readings: readings) {
            case .proceed:
                metrics.stable.record(duration: elapsed)
                if readings > 0 {
                    logger.info(
                        "Checkpoint topic stable: the previous owner's transaction has ended; starting the units",
                        metadata: [LoggingKeys.waited: "\(elapsed)"])
                }
                return nil
            case .wait(let pause):
                if readings == 0 {
                    logger.info(
                        "Waiting for the previous owner's transaction on the checkpoint topic to end before reading checkpoints",
                        metadata: [
                            LoggingKeys.behind: "\(Self.describe(policy.behind(stable)))", LoggingKeys.limit: "\(policy.limit)",
                        ])
                }
                do {
                    try await Task.sleep(for: pause)
                } catch {
                    return Self.cancelled
                }
                readings += 1
            case .giveUp(let behind):
                metrics.gaveUp.record(duration: elapsed)
                return StreamerError(
                    code: .kafka,
                    reason: "the checkpoint topic '\(topic)' is still not stable \(policy.limit) after the units were "
                        + "assigned (partition: last stable offset < end offset at assignment: \(Self.describe(behind))): "
                        + "a transaction open then has been neither committed nor aborted, though the broker aborts a "
                        + "crashed owner's after its transaction.timeout.ms; check that every instance has the same "
                        + "transaction timeout, or find the transaction with `kafka-transactions.sh find-hanging` and "
                        + "abort it. The units start only once it has ended, so that they resume from the newest checkpoint")
            }
        }
    }

    private static func describe(_ behind: [Int32: StableOffsetWait.Lag]) -> String {
        behind.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
    }
}
