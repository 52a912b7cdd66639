import AdminClient
import AdminSandbox
import Foundation
import Kafka
import Logging
import Streamer

/// One end-to-end world: the sandbox Admin API on loopback, an in-process 3-broker mock cluster, and
/// helpers to run the streamer against them and read every topic back with a real consumer.
struct EndToEnd {
    let sandbox: SandboxAdminAPI
    let sandboxConfiguration: SandboxConfiguration
    let cluster: KafkaMockCluster
    let baseURL: String
    let logger = Logger(label: "e2e")

    static func start(
        days: Int = 5, partitions: Int = 3, configure: (inout SandboxConfiguration) -> Void = { _ in }
    ) async throws -> EndToEnd {
        var sandboxConfiguration = SandboxConfiguration()
        sandboxConfiguration.historyStart = sandboxConfiguration.today.adding(days: -(days - 1))
        configure(&sandboxConfiguration)
        let sandbox = SandboxAdminAPI(configuration: sandboxConfiguration)
        let baseURL = try await sandbox.start()
        let cluster = try KafkaMockCluster(brokers: 3)
        let world = EndToEnd(sandbox: sandbox, sandboxConfiguration: sandboxConfiguration, cluster: cluster, baseURL: baseURL)
        for spec in Streamer.topicSpecifications(world.configuration()) {
            try cluster.createTopic(spec.name, partitions: partitions)
        }
        return world
    }

    func stop() async {
        try? await sandbox.stop()
    }

    func configuration(delivery: StreamerConfiguration.DeliveryMode = .exactlyOnce) -> StreamerConfiguration {
        var configuration = StreamerConfiguration()
        configuration.admin.baseURL = baseURL
        configuration.kafka = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        configuration.delivery = delivery
        configuration.intervalStart = sandboxConfiguration.historyStart
        configuration.requestsPerSecond = 1000
        configuration.requestBurst = 1000
        configuration.brokerConnectTimeout = .seconds(10)
        return configuration
    }

    var apiKey: APIKey {
        get throws { try APIKey(sandboxConfiguration.adminKey) }
    }

    func makeStreamer(
        _ configuration: StreamerConfiguration? = nil, transport: (any HTTPTransport)? = nil
    ) async throws -> Streamer {
        try await Streamer.make(
            configuration: configuration ?? self.configuration(), apiKey: try apiKey, transport: transport, logger: logger)
    }

    /// Every record of a table's topic, read back from the beginning by a real consumer.
    func read(_ table: AdminTable, isolation: IsolationLevel = .readCommitted) async throws -> [ConsumedRecord] {
        try await read(topic: configuration().topic(for: table), isolation: isolation)
    }

    func read(topic: String, isolation: IsolationLevel = .readCommitted) async throws -> [ConsumedRecord] {
        var reader = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        reader.clientID = "e2e-reader"
        return try await KafkaTopicReader.readAll(topic: topic, configuration: reader, isolation: isolation, logger: logger)
    }

    /// What the sandbox serves for a table, mapped by the contract (the tree reference mapping, independent of the
    /// product's encoder).
    func expectedRows(_ table: AdminTable) async throws -> [AdminRow] {
        let defaultWorkspaceID = sandbox.defaultWorkspaceID
        return try await sandbox.servedItems(table).map {
            try table.definition.referenceRow(from: $0.item, bucket: $0.bucket)
                .markingWorkspaceType(isDefault: $0.item["id"]?.stringValue == defaultWorkspaceID)
        }
    }
}

extension AdminRow {
    /// A `workspaces` row with its `type` set: `"default"` for the organization's default workspace.
    func markingWorkspaceType(isDefault: Bool) -> AdminRow {
        guard table == .workspaces else { return self }
        var fields = self.fields
        fields["type"] = isDefault ? "default" : "custom"
        return AdminRow(table: table, fields: fields, keyColumns: keyColumns)
    }

    var keyText: String { JSONWriter.string(.object(key)) }
    var valueText: String { JSONWriter.string(.object(fields)) }
}

extension [ConsumedRecord] {
    /// The records of `self` that are not in `earlier` (a multiset difference: partitions interleave, so a later
    /// read is not an extension of an earlier one).
    func subtracting(_ earlier: [ConsumedRecord]) -> [ConsumedRecord] {
        var seen: [ConsumedRecord: Int] = [:]
        for record in earlier { seen[record, default: 0] += 1 }
        return filter { record in
            if let count = seen[record], count > 0 {
                seen[record] = count - 1
                return false
            }
            return true
        }
    }
}

extension ConsumedRecord {
    var keyText: String { String(decoding: key ?? [], as: UTF8.self) }
    var valueText: String? { value.map { String(decoding: $0, as: UTF8.self) } }
    func header(_ name: String) -> String? {
        headers.first { $0.name == name }.map { String(decoding: $0.value ?? [], as: UTF8.self) }
    }
}
