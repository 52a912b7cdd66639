import AdminClient
import AdminSandbox
import Foundation
import Kafka
import Logging
import Testing

@testable import Streamer

/// Several instances share the work units through Kafka's consumer-group protocol.
@Suite(.serialized) struct ScaleOutEndToEndTests {
    let tables: [AdminTable] = [.organization, .workspaces, .apiKeys, .invites, .users, .workspaceMembers]

    @Test("three instances share twelve units, none owned twice; when one leaves, its units move and resume from their checkpoints")
    func unitsAreSharedAndMove() async throws {
        let cluster = try KafkaMockCluster(brokers: 3)
        let organizations = try await SandboxOrganizations.start(["acme", "beta"], tables: tables)
        defer { Task { await organizations.stop() } }
        let (sandboxes, environment, specs, transport) =
            (organizations.sandboxes, organizations.environment, organizations.specs, organizations.transport)

        var shared = StreamerConfiguration()
        shared.admin.baseURL = "http://sandbox.invalid"
        shared.admin.allowInsecureHTTP = true  // the transport routes it to the sandboxes on loopback
        shared.kafka = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        shared.kafka.properties = [
            "session.timeout.ms": "6000", "heartbeat.interval.ms": "500", "partition.assignment.strategy": "roundrobin",
        ]
        shared.snapshotInterval = .seconds(2)
        shared.requestsPerSecond = 1000
        shared.requestBurst = 1000
        func coordinator(_ index: Int) throws -> ScaleOutCoordinator {
            try ScaleOutCoordinator(
                shared: shared, organizations: specs, environment: environment, groupID: "streamers",
                transport: transport, instanceID: "instance-\(index)", logger: Logger(label: "scale-out"))
        }
        let instances = try (0..<3).map { try coordinator($0) }
        #expect(instances[0].units.count == 12)
        #expect(instances.map(\.transactionalID) == (0..<3).map { "anthropic-admin-streamer-streamers-instance-\($0)" },
            "one producer per instance, whatever units it runs")
        let work = instances[0].workTopicSpecification
        try cluster.createTopic(work.name, partitions: work.partitions)
        for organization in specs {
            for table in tables {
                try cluster.createTopic(organization.configuration(from: shared).topic(for: table), partitions: 3)
            }
        }
        let running = instances.map { instance in Task { try await instance.run() } }

        // Every unit owned by exactly one instance.
        try await eventually("the group settles: 12 units, none twice") {
            let owned = await instances.asyncMap { await $0.ownedUnits() }
            return owned.map(\.count).reduce(0, +) == 12 && Set(owned.flatMap { $0 }).count == 12
        }
        var reader = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        reader.clientID = "scale-out-reader"
        func published() async throws -> [String: [ConsumedRecord]] {
            var result: [String: [ConsumedRecord]] = [:]
            for organization in specs {
                for table in tables {
                    let topic = organization.configuration(from: shared).topic(for: table)
                    result[topic] = try await KafkaTopicReader.readAll(topic: topic, configuration: reader, logger: Logger(label: "r"))
                }
            }
            return result
        }
        var expected: [String: Int] = [:]
        for (index, organization) in specs.enumerated() {
            for table in tables {
                expected[organization.configuration(from: shared).topic(for: table)] = await sandboxes[index].servedItems(table).count
            }
        }
        try await eventually("every unit published its snapshot") {
            try await published().mapValues(\.count) == expected
        }

        // One instance leaves; its units move to the others and carry on from their checkpoints.
        let leaving = await instances[2].ownedUnits()
        #expect(!leaving.isEmpty)
        running[2].cancel()
        _ = try? await running[2].value
        try await eventually("the survivors own all 12 units, none twice") {
            let owned = await instances[0..<2].asyncMap { await $0.ownedUnits() }
            return owned.map(\.count).reduce(0, +) == 12 && Set(owned.flatMap { $0 }).count == 12
        }
        // A change after the move is published once, by the new owner of that unit.
        let apiKey = try #require(await sandboxes[0].servedItems(.apiKeys).first?.item["id"]?.stringValue)
        await sandboxes[0].deleteAPIKey(id: apiKey)
        let apiKeysTopic = specs[0].configuration(from: shared).topic(for: .apiKeys)
        try await eventually("the new owner publishes the tombstone") {
            try await published()[apiKeysTopic]?.contains { $0.value == nil } == true
        }
        try await Task.sleep(for: .seconds(3))  // a few more snapshot cycles: they must publish nothing new
        var settled = expected
        settled[apiKeysTopic]! += 1
        #expect(try await published().mapValues(\.count) == settled, "no loss, no duplicate after the move")
        for task in running { task.cancel() }
        for task in running { _ = try? await task.value }
    }

    @Test("a work topic without one partition per unit is refused with what to do")
    func workTopicMustMatchTheUnits() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        var shared = StreamerConfiguration()
        shared.kafka = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        let coordinator = try ScaleOutCoordinator(
            shared: shared, organizations: [OrganizationSpec(name: "acme", key: .environment("ACME_KEY"))],
            environment: [:], groupID: "g", logger: Logger(label: "t"))
        try cluster.createTopic(coordinator.workTopicSpecification.name, partitions: 5)
        do {
            try await coordinator.run()
            Issue.record("a 5-partition work topic for \(AdminTable.allCases.count) units must be refused")
        } catch let error as StreamerError {
            #expect(error.code == .configuration)
            #expect(error.reason.contains("has 5 partitions but this deployment has \(AdminTable.allCases.count) units"))
        }
    }

    private func eventually(
        _ what: String, timeout: Duration = .seconds(180), _ condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("timed out waiting until \(what)")
        throw CancellationError()
    }
}

extension Collection where Element: Sendable {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
