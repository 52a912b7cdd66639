import AdminClient
import AdminSandbox
import ArgumentParser
import Foundation
import Kafka
import Logging
import Metrics
import MetricsTestKit
import Streamer

/// What one measured child reports.
struct RunResult: Sendable, Codable {
    /// Rows the Admin API returned (streamer runs) or events sent (ceilings).
    var rows = 0
    var events = 0
    var pages = 0
    /// Kafka transactions the streamer committed (exactly-once runs).
    var transactions = 0
    /// Key + value bytes of the events (filled in for streamer runs from the capture: same events).
    var payloadBytes = 0
    /// Wall-clock seconds of the measured phase (backfill, or the send loop).
    var seconds = 0.0
    /// Seconds before it: `Streamer.make` (key check, brokers, init_transactions, checkpoint load).
    var setupSeconds = 0.0
    /// CPU of the measured phase; peak RSS of the whole process.
    var usage = ResourceUsage(userSeconds: 0, systemSeconds: 0, peakRSSBytes: 0)
    /// CPU seconds per thread group over the measured phase and setup.
    var threadCPU: [String: Double] = [:]
    /// The world process (sandbox + mock cluster) over its whole life.
    var world: ResourceUsage? = nil
}

/// Options every child shares.
struct ScenarioOptions: ParsableArguments {
    @Option(help: "Target rows of the two tables together.")
    var rows: Int
    @Option(help: "The sandbox's last day (YYYY-MM-DD), the same for every child of one run.")
    var today: String

    var scenario: Scenario {
        get throws {
            guard let day = CalendarDay(today) else { throw ValidationError("--today \(today) is not YYYY-MM-DD") }
            return Scenario(targetRows: rows, today: day)
        }
    }
}

func childLogger() -> Logger {
    var logger = Logger(label: "streamer-benchmark", factory: { StreamLogHandler.standardError(label: $0) })
    logger.logLevel = .error
    return logger
}

/// `_world`: the sandbox Admin API and a mock cluster with every topic created; prints
/// `READY <baseURL> <bootstrap>` and serves until its standard input closes, then prints its own usage.
struct WorldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "_world", shouldDisplay: false)
    @OptionGroup var options: ScenarioOptions

    func run() async throws {
        let scenario = try options.scenario
        let sandbox = SandboxAdminAPI(configuration: scenario.sandboxConfiguration)
        let baseURL = try await sandbox.start()
        let cluster = try KafkaMockCluster(brokers: 3)
        for topic in Scenario.topics {
            try cluster.createTopic(topic, partitions: Scenario.partitions)
        }
        FileHandle.standardOutput.write(Data("READY \(baseURL) \(cluster.bootstrapServers)\n".utf8))
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread {
                _ = FileHandle.standardInput.readDataToEndOfFile()
                continuation.resume()
            }.start()
        }
        try await sandbox.stop()
        try report(ResourceUsage.current())
        withExtendedLifetime(cluster) {}
    }
}

/// `_streamer`: `Streamer.make` + `backfill()` of the two tables, to Kafka, or (`--capture DIR`) to capture
/// files instead (the events and batches the ceilings replay).
struct StreamerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "_streamer", shouldDisplay: false)
    @OptionGroup var options: ScenarioOptions
    @Option var mode: String
    @Option var baseURL: String
    @Option var bootstrap: String
    @Option(help: "Write pages.bin and lines.tsv here instead of producing to Kafka.")
    var capture: String?
    @Option(help: "Experiments: `--max-buffered-mib` instead of the default.")
    var maxBufferedMib: Int?
    @Option(help: "Experiments: `--max-in-flight` instead of the default.")
    var maxInFlight: Int?

    func run() async throws {
        let scenario = try options.scenario
        guard let delivery = StreamerConfiguration.DeliveryMode(rawValue: mode) else {
            throw ValidationError("unknown mode \(mode)")
        }
        var configuration = scenario.streamerConfiguration(baseURL: baseURL, bootstrap: bootstrap, mode: delivery)
        if let maxBufferedMib { configuration.maxBufferedBytes = maxBufferedMib << 20 }
        if let maxInFlight { configuration.maxInFlight = maxInFlight }
        let publisher = try capture.map {
            try CapturePublisher(pagesPath: "\($0)/pages.bin", linesPath: "\($0)/lines.tsv")
        }
        let metrics = TestMetrics()
        MetricsSystem.bootstrap(metrics)
        let sampler = ThreadCPUSampler()
        let clock = Stopwatch()
        let streamer = try await Streamer.make(
            configuration: configuration, apiKey: try scenario.apiKey, publisher: publisher, logger: childLogger())
        let setupSeconds = clock.seconds
        let afterSetup = ResourceUsage.current()
        let outcomes = try await streamer.backfill()
        var result = RunResult()
        result.seconds = clock.seconds - setupSeconds
        result.setupSeconds = setupSeconds
        result.usage = ResourceUsage.current().since(afterSetup)
        result.threadCPU = sampler.stop()
        // The label the streamer exports (MetricLabels.transactionsCommitted); at-least-once counts checkpoint writes.
        result.transactions = Int((try? metrics.expectCounter("streamer.transactions.committed.total").totalValue) ?? 0)
        for outcome in outcomes.values {
            result.rows += outcome.rowsFetched
            result.events += outcome.eventsPublished
            result.pages += outcome.pages
        }
        if let publisher {
            try await publisher.close()
            let totals = await publisher.totals
            result.payloadBytes = totals.payloadBytes
            guard totals.events == result.events else {
                throw BenchmarkFailure("captured \(totals.events) events, the backfill reported \(result.events)")
            }
        }
        try report(result)
    }
}

/// `_ceiling`: the captured pages produced straight through `KafkaProducer` with the streamer's producer
/// configuration and no other work: exactly-once with the streamer's transaction boundaries (each transaction's
/// pages and their newest checkpoints enqueued, then committed); at-least-once every page at once, each page's
/// checkpoint delivered once its events are acknowledged.
struct CeilingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "_ceiling", shouldDisplay: false)
    @OptionGroup var options: ScenarioOptions
    @Option var mode: String
    @Option var bootstrap: String
    @Option var pages: String
    @Option(help: "Exactly-once: pages per transaction (the streamer's boundaries).")
    var pagesPerTransaction = 1

    func run() async throws {
        let scenario = try options.scenario
        guard let delivery = StreamerConfiguration.DeliveryMode(rawValue: mode) else {
            throw ValidationError("unknown mode \(mode)")
        }
        let captured = try CaptureFile.read(path: pages)
        let configuration = scenario.streamerConfiguration(baseURL: "http://127.0.0.1:1", bootstrap: bootstrap, mode: delivery)
        var kafka = configuration.kafka
        if delivery == .exactlyOnce {
            kafka.transactionalID = configuration.transactionalID(organizationID: scenario.sandboxConfiguration.organizationID)
        }
        let producer = try KafkaProducer(configuration: kafka, logger: childLogger())
        let sampler = ThreadCPUSampler()
        let clock = Stopwatch()
        try await producer.waitUntilReachable(timeout: .seconds(20))
        if delivery == .exactlyOnce { try await producer.initTransactions() }
        let setupSeconds = clock.seconds
        let afterSetup = ResourceUsage.current()

        switch delivery {
        case .exactlyOnce:
            var start = 0
            while start < captured.count {
                let batch = captured[start..<min(captured.count, start + max(1, pagesPerTransaction))]
                start += batch.count
                try await producer.beginTransaction()
                var newest: [ArraySlice<UInt8>: KafkaRecord] = [:]
                for page in batch {
                    try await producer.produce(page.events)
                    newest[page.checkpoint.key ?? []] = page.checkpoint
                }
                try await producer.produce(Array(newest.values))
                try await producer.commitTransaction()
            }
        case .atLeastOnce:
            try await withThrowingTaskGroup(of: Void.self) { group in
                for page in captured {
                    group.addTask {
                        if !page.events.isEmpty { try await producer.deliver(page.events) }
                        try await producer.deliver([page.checkpoint])
                    }
                }
                try await group.waitForAll()
            }
        }
        await producer.close(timeout: .seconds(10))

        var result = RunResult()
        result.seconds = clock.seconds - setupSeconds
        result.setupSeconds = setupSeconds
        result.usage = ResourceUsage.current().since(afterSetup)
        result.threadCPU = sampler.stop()
        result.pages = captured.count
        // Events only (the pages also carry row-state records, produced like the streamer's).
        let events = captured.flatMap(\.events).filter { !$0.topic.hasSuffix(".state") }
        result.events = events.count
        result.rows = result.events
        result.payloadBytes = events.reduce(0) { $0 + ($1.key?.count ?? 0) + ($1.value?.count ?? 0) }
        try report(result)
    }
}

/// The first python3 that imports confluent-kafka: the one on PATH, else Debian's (`apt-get install
/// python3-confluent-kafka` installs the module there, which a python3 of pyenv or a venv earlier on PATH lacks).
func pythonWithConfluentKafka() -> String? {
    for candidate in ["python3", "/usr/bin/python3"] {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = [candidate, "-c", "import confluent_kafka"]
        check.standardError = FileHandle.nullDevice
        guard (try? check.run()) != nil else { continue }
        check.waitUntilExit()
        if check.terminationStatus == 0 { return candidate }
    }
    return nil
}

/// `_python`: the plain Python pipeline (Benchmarks/python/pipeline.py) against the world; skipped (`nil`)
/// when no python3 can import confluent-kafka.
func runPythonPipeline(
    script: String, world: MainCommand.World, scenario: Scenario
) throws -> RunResult? {
    guard let python = pythonWithConfluentKafka() else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
        python, script, world.baseURL, world.bootstrap, scenario.historyStart.description, scenario.today.description,
    ]
    var environment = ProcessInfo.processInfo.environment
    environment["ANTHROPIC_ADMIN_KEY"] = scenario.sandboxConfiguration.adminKey
    process.environment = environment
    let output = Pipe()
    process.standardOutput = output
    let before = ResourceUsage.current(children: true)
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw BenchmarkFailure("the Python pipeline failed") }
    struct Line: Decodable { let events: Int; let requests: Int; let seconds: Double }
    let line = try JSONDecoder().decode(Line.self, from: data)
    var result = RunResult()
    result.events = line.events
    result.rows = line.events
    result.seconds = line.seconds
    result.usage = ResourceUsage.current(children: true).since(before)
    return result
}
