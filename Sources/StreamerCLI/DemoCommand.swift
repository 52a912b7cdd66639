import AdminClient
import AdminSandbox
import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Kafka
import Logging
import Streamer

/// `streamer demo`: the whole product on embedded defaults, with no key, no broker and no network.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Stream a sandbox organization into an in-process Kafka mock cluster and show what landed.",
        discussion: """
            Starts the sandbox Admin API on loopback and a 3-broker librdkafka mock cluster, backfills all nine \
            tables exactly once, reads every topic back with a read_committed consumer and prints a summary.
            """)

    @Option(help: "Days of sandbox history.")
    var days = 14

    @Option(help: "Claude Code rows per day in the sandbox.")
    var rowsPerDay = 5

    @Option(help: "exactly-once or at-least-once.")
    var delivery = "exactly-once"

    @Flag(help: "Keep the mock cluster running after the summary (for kcat) until Ctrl-C.")
    var hold = false

    @Option(help: "trace, debug, info, notice, warning or error.")
    var logLevel = "warning"

    func run() async throws {
        do {
            guard let level = Logger.Level(rawValue: logLevel) else {
                throw StreamerError(code: .configuration, reason: "--log-level '\(logLevel)' is not a log level")
            }
            guard let mode = StreamerConfiguration.DeliveryMode(rawValue: delivery) else {
                throw StreamerError(code: .configuration, reason: "--delivery must be exactly-once or at-least-once")
            }
            let logger = LoggingSetup.bootstrap(level: level, json: false)
            try await runDemo(mode: mode, logger: logger)
        } catch {
            throw FatalReport(error).emit(json: false)
        }
    }

    private func runDemo(mode: StreamerConfiguration.DeliveryMode, logger: Logger) async throws {
        var sandboxConfiguration = SandboxConfiguration()
        sandboxConfiguration.historyStart = sandboxConfiguration.today.adding(days: -(max(days, 1) - 1))
        sandboxConfiguration.claudeCodeRowsPerDay = rowsPerDay
        let sandbox = SandboxAdminAPI(configuration: sandboxConfiguration)
        let baseURL = try await sandbox.start()
        let cluster: KafkaMockCluster
        do {
            cluster = try KafkaMockCluster(brokers: 3)
        } catch {
            throw StreamerError(code: .kafka, reason: "cannot start the mock cluster: \(error)")
        }
        print("sandbox Admin API: \(baseURL)  (organization \(sandboxConfiguration.organizationName))")
        print("mock Kafka cluster: \(cluster.bootstrapServers)  (3 brokers, in this process)")

        var configuration = StreamerConfiguration()
        configuration.admin.baseURL = baseURL
        configuration.kafka = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        configuration.delivery = mode
        configuration.intervalStart = sandboxConfiguration.historyStart
        configuration.requestsPerSecond = 200
        configuration.requestBurst = 200
        for topic in Streamer.topicSpecifications(configuration) {
            try? cluster.createTopic(topic.name, partitions: 3)
        }
        let key = try APIKey(sandboxConfiguration.adminKey)
        let started = ContinuousClock.now
        let streamer = try await Streamer.make(configuration: configuration, apiKey: key, logger: logger)
        let outcomes = try await streamer.backfill()
        let elapsed = ContinuousClock.now - started
        print("\nbackfill (\(mode.rawValue)) of \(days) days finished in \(elapsed.components.seconds)s \(elapsed.components.attoseconds / 1_000_000_000_000_000)ms\n")

        var readConfiguration = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        readConfiguration.clientID = "streamer-demo-reader"
        print("topic".padded(to: 34) + "events  rows fetched")
        var samples: [(String, ConsumedRecord)] = []
        var mismatches: [String] = []
        for table in configuration.tables {
            let topic = configuration.topic(for: table)
            let records: [ConsumedRecord]
            do {
                records = try await KafkaTopicReader.readAll(topic: topic, configuration: readConfiguration, logger: logger)
            } catch {
                throw StreamerError(code: .kafka, reason: "reading \(topic) back failed: \(error)")
            }
            let fetched = outcomes[table]?.rowsFetched ?? 0
            print(topic.padded(to: 34) + String(records.count).padded(to: 8) + "\(fetched)")
            if let first = records.first { samples.append((topic, first)) }
            // The demo checks itself: a fresh cluster must hold exactly one event per row fetched, and no table is empty.
            if records.isEmpty || records.count != fetched || Set(records.map { $0.key ?? [] }).count != records.count {
                mismatches.append("\(topic): \(records.count) events read back, \(fetched) rows fetched")
            }
        }
        print("\nsample event per topic (key → value):")
        for (topic, record) in samples {
            let key = String(decoding: record.key ?? [], as: UTF8.self)
            var value = String(decoding: record.value ?? [], as: UTF8.self)
            if value.count > 400 { value = String(value.prefix(400)) + "…" }
            print("\n[\(topic)] partition \(record.partition) offset \(record.offset)\n  key:   \(key)\n  value: \(value)")
            let headers = record.headers.map { "\($0.name)=\(String(decoding: $0.value ?? [], as: UTF8.self))" }
            print("  headers: \(headers.joined(separator: " "))")
        }
        print("\ncheckpoints (\(configuration.effectiveCheckpointTopic)):")
        for (table, checkpoint) in await streamer.checkpoints().sorted(by: { $0.key < $1.key }) {
            let state: String
            if let snapshot = checkpoint.snapshot, let rows = snapshot.lastRowCount {
                state = "snapshot of \(rows) rows"
            } else if let next = checkpoint.nextDay {
                state = "final through \(next.adding(days: -1)); recent days watched for late data (state topic)"
            } else {
                state = "recent days watched for late data (state topic)"
            }
            print("  \(TableCheckpoint.key(organizationID: streamer.organizationID, table: table)): \(state)")
        }
        print("""

            Look for yourself with kcat while the cluster runs (`streamer demo --hold`):
              kcat -b \(cluster.bootstrapServers) -L
              kcat -b \(cluster.bootstrapServers) -C -t anthropic.users -o beginning -e -J -X isolation.level=read_committed
            Against a real cluster: export ANTHROPIC_ADMIN_KEY=sk-ant-admin…; streamer check; streamer run --bootstrap-servers host:9092
            """)
        guard mismatches.isEmpty else {
            throw StreamerError(
                code: .tablesFailed, reason: "the demo's own check failed: \(mismatches.joined(separator: "; "))")
        }
        if hold {
            print("\nholding the mock cluster at \(cluster.bootstrapServers); Ctrl-C to stop")
            while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
        }
        try await sandbox.stop()
        withExtendedLifetime(cluster) {}
    }
}
