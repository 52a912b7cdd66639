import AdminClient
import AdminSandbox
import Foundation
import InMemoryLogging
import Kafka
import Logging
import Prometheus
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

    /// One organization with one table: one unit, on a one-broker cluster with its topics created.
    private func oneUnit(_ cluster: KafkaMockCluster, _ organizations: SandboxOrganizations) throws -> StreamerConfiguration {
        var shared = StreamerConfiguration()
        shared.admin.baseURL = "http://sandbox.invalid"
        shared.admin.allowInsecureHTTP = true
        shared.kafka = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        shared.kafka.properties = ["session.timeout.ms": "6000", "heartbeat.interval.ms": "500"]
        shared.snapshotInterval = .seconds(2)
        shared.requestsPerSecond = 1000
        shared.requestBurst = 1000
        try cluster.createTopic("\(shared.topicPrefix).work-units", partitions: 1)
        try cluster.createTopic(organizations.specs[0].configuration(from: shared).topic(for: .workspaces), partitions: 1)
        return shared
    }

    /// Whether the unit's topic holds every workspace the sandbox serves.
    private func snapshotPublished(
        _ shared: StreamerConfiguration, _ organizations: SandboxOrganizations
    ) async throws -> Bool {
        let topic = organizations.specs[0].configuration(from: shared).topic(for: .workspaces)
        var reader = KafkaConfiguration(bootstrapServers: shared.kafka.bootstrapServers)
        reader.clientID = "scale-out-reader"
        let records = try await KafkaTopicReader.readAll(topic: topic, configuration: reader, logger: Logger(label: "r"))
        return records.count == (await organizations.sandboxes[0].servedItems(.workspaces).count)
    }

    @Test("a unit's new owner starts it only once the checkpoint topic is stable: before, not even one request")
    func unitWaitsForStableCheckpoints() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        let organizations = try await SandboxOrganizations.start(["acme"], tables: [.workspaces])
        defer { Task { await organizations.stop() } }
        let shared = try oneUnit(cluster, organizations)
        // A crashed owner's transaction holds partition 0 of the checkpoint topic from offset 2 (its end is 5).
        let offsets = ScriptedCheckpointOffsets(ends: [0: 5, 1: 0], stable: [[0: 2, 1: 0]])
        let (registry, _) = try await ScopedMetrics.collect {
            let coordinator = try ScaleOutCoordinator(
                shared: shared, organizations: organizations.specs, environment: organizations.environment,
                groupID: "fenced", workTopic: nil, transport: organizations.transport, restartDelay: .seconds(30),
                instanceID: "new-owner", checkpointOffsets: offsets, logger: Logger(label: "scale-out"))
            let running = Task { try await coordinator.run() }
            try await eventually("the unit is assigned and its wait has read the topic behind three times") {
                await offsets.stableReadings >= 3
            }
            #expect(await coordinator.ownedUnits().count == 1)
            #expect(await organizations.sandboxes[0].requestCount == 0, "the unit's streamer has not started")

            await offsets.release(to: [0: 5, 1: 0])  // the broker aborted it at its transaction timeout
            try await eventually("the unit starts and publishes its snapshot") {
                try await snapshotPublished(shared, organizations)
            }
            #expect(await offsets.endReadings == 1, "the end offsets are those seen at assignment")
            running.cancel()
            _ = try? await running.value
        }
        let samples = PrometheusSamples(String(decoding: registry.emitToBuffer(), as: UTF8.self))
        #expect(samples.value("streamer_scale_out_checkpoint_wait_seconds_count", ["outcome": "stable"]) == 1)
        #expect((samples.value("streamer_scale_out_checkpoint_wait_seconds_sum", ["outcome": "stable"]) ?? 0) > 0)
    }

    @Test("a crashed owner's transaction left open on the checkpoint topic holds the unit's new owner back until it ends")
    func crashedOwnersTransactionHoldsTheUnitBack() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        let organizations = try await SandboxOrganizations.start(["acme"], tables: [.workspaces])
        defer { Task { await organizations.stop() } }
        let shared = try oneUnit(cluster, organizations)
        // The crashed owner: a transaction with a checkpoint write in it, never ended (its process died). The
        // record is a tombstone of another organization's key, harmless to read.
        var crashedKafka = shared.kafka
        crashedKafka.transactionalID = "crashed-owner"
        let crashed = try KafkaProducer(configuration: crashedKafka, logger: Logger(label: "crashed"))
        try await crashed.initTransactions()
        try await crashed.beginTransaction()
        _ = try await crashed.send([
            KafkaRecord(topic: shared.effectiveCheckpointTopic, key: Array("elsewhere/workspaces".utf8), value: nil)
        ])

        let logs = InMemoryLogHandler()
        let (registry, _) = try await ScopedMetrics.collect {
            let coordinator = try ScaleOutCoordinator(
                shared: shared, organizations: organizations.specs, environment: organizations.environment,
                groupID: "crash", transport: organizations.transport, instanceID: "new-owner",
                logger: Logger(label: "scale-out", factory: { _ in logs }))
            let running = Task { try await coordinator.run() }
            func waiting() -> Bool {
                logs.entries.contains { "\($0.message)".hasPrefix("Waiting for the previous owner's transaction") }
            }
            try await eventually("the unit waits or starts") {
                let requests = await organizations.sandboxes[0].requestCount
                return waiting() || requests > 0
            }
            let requests = await organizations.sandboxes[0].requestCount
            let heldBack = waiting() && requests == 0
            withKnownIssue(
                Comment(
                    rawValue: "librdkafka 2.0.2's mock cluster answers the log end as the last stable offset (it ignores ListOffsets' "
                        + "isolation level and tracks no transaction state), so an open transaction cannot hold the unit back "
                        + "there; unitWaitsForStableCheckpoints, CheckpointFenceTests and StableOffsetWaitTests prove the wait "
                        + "with scripted offsets")
            ) {
                #expect(heldBack, "the unit must not start while the crashed owner's transaction is open")
            }

            try await crashed.abortTransaction()  // what the broker does at the transaction timeout
            try await eventually("the unit starts and publishes its snapshot once the transaction has ended") {
                try await snapshotPublished(shared, organizations)
            }
            running.cancel()
            _ = try? await running.value
        }
        await crashed.close(timeout: .seconds(5))
        let samples = PrometheusSamples(String(decoding: registry.emitToBuffer(), as: UTF8.self))
        #expect(samples.value("streamer_scale_out_checkpoint_wait_seconds_count", ["outcome": "stable"]) == 1)
    }
}

extension Collection where Element: Sendable {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
