import AdminClient
import Kafka
import Logging
import Metrics
import ServiceLifecycle

#if canImport(FoundationEssentials)
import struct FoundationEssentials.Date
#else
import struct Foundation.Date
#endif

/// The streamer: one poller per (organization, table), a producer shared by all, a checkpoint store.
///
/// Create it with ``make(configuration:apiKey:transport:now:logger:)``, which checks the key, reaches the
/// brokers, fences older instances and loads the checkpoints. Then either ``run()`` it as a service (it polls
/// until cancelled or gracefully shut down) or call ``backfill()`` for one pass.
public final class Streamer: Service, Sendable {
    /// The organization being streamed (from `/v1/organizations/me`).
    public let organizationID: String
    /// The configuration in effect.
    public let configuration: StreamerConfiguration
    private let pollers: [TablePoller]
    /// The producer and coordinator this streamer made for itself and runs; `nil` when a fleet shares its own.
    private let publishing: SharedPublishing?
    private let producer: KafkaProducer?
    private let logger: Logger
    private let health = HealthState()
    private let metrics: StreamerMetrics
    private let progress: BackfillProgress?
    private let now: @Sendable () -> Date

    init(
        organizationID: String, configuration: StreamerConfiguration, pollers: [TablePoller],
        publishing: SharedPublishing? = nil, producer: KafkaProducer?,
        progress: BackfillProgress? = nil, now: @escaping @Sendable () -> Date = { Date() }, logger: Logger
    ) {
        self.organizationID = organizationID
        self.configuration = configuration
        self.pollers = pollers
        self.publishing = publishing
        self.producer = producer
        self.logger = logger
        self.metrics = StreamerMetrics(tables: pollers.map(\.table), organization: configuration.metricsOrganization)
        self.progress = progress
        self.now = now
    }

    /// Polls every table until cancelled or gracefully shut down, then flushes and closes the producer.
    ///
    /// A table whose cycle fails (a malformed page, a 5xx after retries) is logged and retried next cycle; the
    /// other tables go on. An authentication failure or a fenced producer stops everything.
    public func run() async throws {
        try await run(firstCyclesDone: {})
    }

    /// ``run()``, calling `firstCyclesDone` once every table has finished its first cycle, or once the run ends
    /// before that (a fleet admits organizations into their first cycle a few at a time).
    func run(firstCyclesDone: @escaping @Sendable () async -> Void) async throws {
        let firstCycles = FirstCycleCountdown(tables: pollers.count, done: firstCyclesDone)
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    if let publishing = self.publishing {
                        group.addTask { await publishing.run() }
                    }
                    for poller in self.pollers {
                        group.addTask { try await self.poll(poller, firstCycles: firstCycles) }
                    }
                    group.addTask {
                        while true {
                            await self.sampleGauges()
                            try await Task.sleep(for: StreamerMetrics.interval)
                        }
                    }
                    if let check = self.brokerCheck {
                        group.addTask {
                            while true {
                                await self.health.refreshBrokers(check: check)
                                try await Task.sleep(for: HealthState.brokerCheckInterval)
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
        } catch is CancellationError {
            // Shutdown.
        } catch {
            await firstCycles.stop()
            await shutdown()
            throw error
        }
        await firstCycles.stop()
        await shutdown()
    }

    /// ``poll(_:cycleEnded:)``, telling `firstCycles` when the first cycle has ended, however it ended.
    private func poll(_ poller: TablePoller, firstCycles: FirstCycleCountdown) async throws {
        var firstCycle = true
        do {
            try await poll(poller) {
                guard firstCycle else { return }
                firstCycle = false
                await firstCycles.finished()
            }
        } catch {
            if firstCycle { await firstCycles.finished() }
            throw error
        }
        if firstCycle { await firstCycles.finished() }
    }

    private func poll(_ poller: TablePoller, cycleEnded: () async -> Void) async throws {
        let interval = poller.interval(pollInterval: configuration.pollInterval)
        while !Task.isCancelled {
            do {
                let outcome = try await poller.runCycle()
                await health.recordSuccess()
                if Task.isCancelled {
                    // Shutdown stopped the cycle between request series: the rest resumes from the checkpoint.
                    logger.info(
                        "Cycle interrupted",
                        metadata: [
                            LoggingKeys.table: "\(poller.table)", LoggingKeys.rows: "\(outcome.rowsFetched)",
                            LoggingKeys.events: "\(outcome.eventsPublished)",
                        ])
                    return
                }
                if !outcome.wasSkipped {
                    logger.info(
                        "Cycle done",
                        metadata: [
                            LoggingKeys.table: "\(poller.table)", LoggingKeys.rows: "\(outcome.rowsFetched)",
                            LoggingKeys.events: "\(outcome.eventsPublished)",
                        ])
                }
            } catch {
                if Task.isCancelled {
                    // Shutdown cut the cycle short: its pages so far are committed, the rest resumes next start.
                    logger.info("Cycle interrupted", metadata: [LoggingKeys.table: "\(poller.table)"])
                    return
                }
                if error.code == .tableUnavailable { return switchOff(poller.table, error) }  // the others go on
                await health.recordFailure(error)
                metrics.pollFailed(poller.table)
                switch error.code {
                case .authentication, .fenced, .configuration, .corruptCheckpoint:
                    throw error
                default:
                    logger.error(
                        "Cycle failed; retrying next cycle",
                        metadata: [LoggingKeys.table: "\(poller.table)", LoggingKeys.error: "\(error)"])
                }
            }
            await cycleEnded()
            try await Task.sleep(for: interval)
        }
    }

    /// One pass over every selected table: each time table up to its end day, each state table one snapshot
    /// (unless one was taken less than `--snapshot-interval` ago). Tables run concurrently; one table's failure
    /// does not stop the others.
    ///
    /// - Returns: what each table did.
    /// - Throws: ``StreamerError`` with code `.tablesFailed` listing every failed table (after the others
    ///   finished), or the first fatal error (authentication, fenced producer).
    public func backfill() async throws(StreamerError) -> [AdminTable: CycleOutcome] {
        let results = await withTaskGroup(of: Void.self) { group in
            if let publishing { group.addTask { await publishing.run() } }
            let results = await backfillTables()
            group.cancelAll()
            return results
        }
        await sampleGauges()
        await shutdown()
        var outcomes: [AdminTable: CycleOutcome] = [:]
        var failures: [(AdminTable, StreamerError)] = []
        for (table, result) in results.sorted(by: { $0.key < $1.key }) {
            switch result {
            case .success(let outcome): outcomes[table] = outcome
            case .failure(let error) where error.code == .tableUnavailable:
                // An expected platform limitation, not a failure: the backfill succeeds, and says so.
                switchOff(table, error)
                var outcome = CycleOutcome()
                outcome.unavailableReason = error.reason
                outcomes[table] = outcome
            case .failure(let error): failures.append((table, error))
            }
        }
        if let fatal = failures.first(where: { [.authentication, .fenced].contains($0.1.code) }) {
            throw fatal.1
        }
        if !failures.isEmpty {
            let list = failures.map { "\($0.0.name): \($0.1.reason)" }.joined(separator: "; ")
            throw StreamerError(
                code: .tablesFailed,
                reason: "\(failures.count) of \(results.count) tables were not published (\(list)); "
                    + "run the same command again to resume them from their checkpoints")
        }
        return outcomes
    }

    private func backfillTables() async -> [AdminTable: Result<CycleOutcome, StreamerError>] {
        await withTaskGroup(of: (AdminTable, Result<CycleOutcome, StreamerError>).self) { group in
            for poller in pollers {
                group.addTask { (poller.table, await self.backfill(poller)) }
            }
            var results: [AdminTable: Result<CycleOutcome, StreamerError>] = [:]
            for await (table, result) in group { results[table] = result }
            return results
        }
    }

    /// One table's backfill as a result, reported to the progress display.
    ///
    /// A method of its own, so the task-group child above returns a tuple of plain values: Swift 6.3.1 -O
    /// miscompiles a tuple built from `try await` inside `do throws(…)` in a task-group child (a standalone
    /// reproduction returns other children's tables; `BackfillAttributionTests` run in release in CI).
    private func backfill(_ poller: TablePoller) async -> Result<CycleOutcome, StreamerError> {
        await progress?.started(poller.table)
        do throws(StreamerError) {
            let outcome = try await poller.runCycle()
            await progress?.finished(poller.table, failed: false)
            return .success(outcome)
        } catch {
            await progress?.finished(poller.table, failed: true)
            return .failure(error)
        }
    }

    /// Stops reading a table the organization cannot use: one warning, one count of
    /// `streamer.tables.unavailable`; the other tables go on.
    private func switchOff(_ table: AdminTable, _ error: StreamerError) {
        logger.warning(
            "Table not available to this organization; switched off",
            metadata: [LoggingKeys.table: "\(table)", LoggingKeys.error: "\(error)"])
        Counter(label: MetricLabels.tablesUnavailable, dimensions: [(MetricLabels.tableDimension, table.name)]).increment()
    }

    /// The checkpoints as the pollers last published them.
    public func checkpoints() async -> [AdminTable: TableCheckpoint] {
        var result: [AdminTable: TableCheckpoint] = [:]
        for poller in pollers { result[poller.table] = await poller.checkpoint }
        return result
    }

    /// Why the streamer is not ready (`nil` when it is): the brokers did not answer a metadata request within
    /// two seconds, or the last Admin API request series failed. The broker check runs in the background while
    /// the streamer runs; this answers from its latest result (at most a few seconds old), never sending a
    /// request of its own per call.
    public func readiness() async -> String? {
        if let brokerCheck, let problem = await health.brokerProblem(maxAge: HealthState.brokerCheckInterval, check: brokerCheck) {
            return problem
        }
        if let problem = await health.adminAPIProblem {
            return "Admin API: \(problem)"
        }
        return nil
    }

    /// One metadata request to the brokers: `nil` when they answered within two seconds, else why not.
    private var brokerCheck: (@Sendable () async -> String?)? {
        guard let producer else { return nil }
        let servers = configuration.kafka.bootstrapServers
        return {
            do throws(KafkaError) {
                _ = try await producer.topicNames(timeout: .seconds(2))
                return nil
            } catch {
                return "brokers unreachable (\(servers)): \(error.reason)"
            }
        }
    }

    /// Records the sampled gauges: the producer's queue depth, each table's checkpoint lag.
    private func sampleGauges() async {
        metrics.sample(producer: producer, checkpoints: await checkpoints(), now: now())
    }

    private func shutdown() async {
        await publishing?.close()
    }
}
