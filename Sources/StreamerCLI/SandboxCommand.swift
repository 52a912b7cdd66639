import AdminClient
import AdminSandbox
import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Kafka
import Streamer
import UnixSignals

/// `streamer sandbox`: the sandbox Admin API and a mock Kafka cluster, held up for other processes — for
/// trying `run`/`backfill` by hand, for `kcat`, and for the soak script.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Serve the sandbox Admin API and an in-process Kafka mock cluster until stopped (for trying things by hand).",
        discussion: """
            Prints `export ANTHROPIC_BASE_URL=…`, `export KAFKA_BOOTSTRAP_SERVERS=…`, `export ANTHROPIC_ADMIN_KEY=…` \
            (the sandbox's own key, not a secret) and `export STREAMER_INTERVAL_START=…` lines for \
            `eval "$(streamer sandbox &)"`-style use, then holds until SIGINT or SIGTERM.
            """)

    @Option(help: "Days of history.")
    var days = 14

    @Option(help: "Claude Code rows per day.")
    var rowsPerDay = 5

    @Option(help: "Organization members (users); each is in a workspace with --member-percent chance.")
    var users = 12

    @Option(help: "Active workspaces (one archived workspace exists besides them).")
    var workspaces = 3

    @Option(help: "Chance, in percent, that a user is a member of a given workspace.")
    var memberPercent = 55

    @Option(help: "Partitions of each pre-created topic (the mock keeps ~5 MB per partition).")
    var partitions = 6

    @Option(help: "Also create the scale-out work topic (anthropic.work-units) with this many partitions: one per unit.")
    var workUnits: Int?

    @Option(help: "Write the expected event keys of every table to DIR/<table>.keys (one compact JSON key a line).")
    var expectedDir: String?

    func run() async throws {
        var configuration = SandboxConfiguration()
        configuration.historyStart = configuration.today.adding(days: -(max(days, 1) - 1))
        configuration.claudeCodeRowsPerDay = rowsPerDay
        configuration.users = users
        configuration.workspaces = workspaces
        configuration.memberPercent = memberPercent
        let sandbox = SandboxAdminAPI(configuration: configuration)
        let baseURL = try await sandbox.start()
        let cluster = try KafkaMockCluster(brokers: 3)
        var streamerConfiguration = StreamerConfiguration()
        streamerConfiguration.kafka = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        for topic in Streamer.topicSpecifications(streamerConfiguration) {
            try cluster.createTopic(topic.name, partitions: partitions)
        }
        if let workUnits {
            try cluster.createTopic("\(streamerConfiguration.topicPrefix).work-units", partitions: workUnits)
        }
        if let expectedDir {
            try FileManager.default.createDirectory(atPath: expectedDir, withIntermediateDirectories: true)
            for table in AdminTable.allCases {
                let keys = try await sandbox.servedItems(table).map { served in
                    JSONWriter.string(.object(try table.definition.makeRow(from: served.item, bucket: served.bucket).key))
                }
                try (keys.joined(separator: "\n") + "\n").write(toFile: "\(expectedDir)/\(table.name).keys", atomically: true, encoding: .utf8)
            }
        }
        StandardStream.output.write(
            """
            export ANTHROPIC_BASE_URL=\(baseURL)
            export KAFKA_BOOTSTRAP_SERVERS=\(cluster.bootstrapServers)
            export ANTHROPIC_ADMIN_KEY=\(configuration.adminKey)
            export STREAMER_INTERVAL_START=\(configuration.historyStart)

            """)
        for await _ in await UnixSignalsSequence(trapping: .sigint, .sigterm) { break }
        try await sandbox.stop()
        withExtendedLifetime(cluster) {}
    }
}
