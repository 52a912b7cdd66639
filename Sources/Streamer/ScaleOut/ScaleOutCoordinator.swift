import AdminClient
import Kafka
import Logging
import ServiceLifecycle

#if canImport(FoundationEssentials)
import class FoundationEssentials.ProcessInfo
#else
import class Foundation.ProcessInfo
#endif

/// Shares the work units (organization × table) of a deployment among every instance started with the same
/// group id, through Kafka's consumer-group protocol: each instance is a member of the group subscribed to a
/// work-assignment topic with one partition per unit, and runs exactly the units whose partitions the group
/// coordinator assigns to it. Units move when an instance joins or dies.
///
/// One producer per instance publishes every unit it runs (transactional id
/// `<transactional-id-prefix>-<group id>-<instance id>`). Zombies are fenced through the group, as Kafka Streams'
/// exactly_once_v2 does (KIP-447): every transaction also commits its units' work-topic offsets with the member's
/// generation, so a member that lost a rebalance cannot commit; and a revocation waits until nothing of the
/// revoked units can be committed any more (their open transaction aborted) before the partitions are released.
/// A unit's new owner reads its checkpoint afresh when the unit starts, and only once every transaction open on
/// the checkpoint topic at assignment has ended (``CheckpointFence``): a crashed owner's stays open until its
/// transaction timeout, and may hold a newer checkpoint of the unit.
public final class ScaleOutCoordinator: Service, Sendable {
    /// The units, in partition order.
    public let units: [WorkUnit]
    private let shared: StreamerConfiguration
    private let organizations: [String: OrganizationSpec]
    private let environment: [String: String]
    private let groupID: String
    private let workTopic: String
    private let transport: (any HTTPTransport)?
    private let restartDelay: Duration
    private let instanceID: String
    private let logger: Logger
    private let owned = OwnedUnits()
    private let checkpointOffsets: any CheckpointOffsets
    private let fenceMetrics = CheckpointFence.Metrics()

    /// A coordinator for `organizations`, joining `groupID` on `workTopic`.
    ///
    /// - Throws: ``StreamerError/Code/configuration`` for overlapping topics (as ``StreamerFleet``).
    public convenience init(
        shared: StreamerConfiguration, organizations: [OrganizationSpec], environment: [String: String], groupID: String,
        workTopic: String? = nil, transport: (any HTTPTransport)? = nil, restartDelay: Duration = .seconds(30),
        instanceID: String = ScaleOutCoordinator.defaultInstanceID, logger: Logger
    ) throws(StreamerError) {
        try self.init(
            shared: shared, organizations: organizations, environment: environment, groupID: groupID, workTopic: workTopic,
            transport: transport, restartDelay: restartDelay, instanceID: instanceID,
            checkpointOffsets: KafkaCheckpointOffsets(
                topic: shared.effectiveCheckpointTopic, configuration: shared.kafka, logger: logger),
            logger: logger)
    }

    /// A coordinator that reads the checkpoint topic's offsets from `checkpointOffsets` (tests script them).
    init(
        shared: StreamerConfiguration, organizations: [OrganizationSpec], environment: [String: String], groupID: String,
        workTopic: String?, transport: (any HTTPTransport)?, restartDelay: Duration, instanceID: String,
        checkpointOffsets: any CheckpointOffsets, logger: Logger
    ) throws(StreamerError) {
        _ = try StreamerFleet(shared: shared, organizations: organizations, environment: environment, logger: logger)
        self.units = WorkUnit.all(organizations, shared: shared)
        self.shared = shared
        self.organizations = Dictionary(uniqueKeysWithValues: organizations.map { ($0.name, $0) })
        self.environment = environment
        self.groupID = groupID
        self.workTopic = workTopic ?? "\(shared.topicPrefix).work-units"
        self.transport = transport
        self.restartDelay = restartDelay
        self.instanceID = instanceID
        self.checkpointOffsets = checkpointOffsets
        var logger = logger
        logger[metadataKey: LoggingKeys.groupID] = "\(groupID)"
        self.logger = logger
    }

    /// This instance's name in its transactional id: the host name and process id.
    public static var defaultInstanceID: String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
    }

    /// The transactional id of this instance's one producer.
    public var transactionalID: String { "\(shared.transactionalIDPrefix)-\(groupID)-\(instanceID)" }

    /// Above this many units the group uses the eager `roundrobin` assignor instead of `cooperative-sticky`
    /// (unless `partition.assignment.strategy` is set).
    public static let stickyAssignmentLimit = 2_000

    /// The work-assignment topic to create before instances start: one partition per unit.
    public var workTopicSpecification: TopicSpecification {
        TopicSpecification(name: workTopic, partitions: units.count)
    }

    /// The units this instance runs now.
    public func ownedUnits() async -> Set<WorkUnit> {
        await owned.units
    }

    /// Joins the group and runs the assigned units until cancelled or gracefully shut down; then leaves the
    /// group so the others take the units over at once.
    public func run() async throws {
        _ = try? await KafkaTopicAdmin(configuration: shared.kafka, logger: logger)
            .ensureTopics([workTopicSpecification], timeout: .seconds(15))
        try await checkWorkTopic()
        var kafka = shared.kafka
        if kafka.properties["partition.assignment.strategy"] == nil, units.count > Self.stickyAssignmentLimit {
            // librdkafka 2.0.2's cooperative-sticky assignor is quadratic: with 9,000 units a rebalance did not
            // finish in 5 minutes (Benchmarks/ScaleOutSimulation), while roundrobin settles in ~5 s.
            kafka.properties["partition.assignment.strategy"] = "roundrobin"
        }
        var topics: [TopicSpecification] = []
        for organization in organizations.values {
            for spec in Streamer.topicSpecifications(organization.configuration(from: shared))
            where !topics.contains(where: { $0.name == spec.name }) {
                topics.append(spec)
            }
        }
        let publishing = try await SharedPublishing.connect(
            configuration: shared, topics: topics, transactionalID: transactionalID, reloadsCheckpoints: true,
            logger: logger)
        let membership: KafkaGroupMembership
        do {
            membership = try KafkaGroupMembership(
                configuration: kafka, groupID: groupID, topic: workTopic,
                beforeRevoke: { partitions in await self.release(partitions, publishing: publishing) }, logger: logger)
        } catch {
            await publishing.close()
            throw StreamerError.kafka(error)
        }
        let owned = self.owned
        let workTopic = self.workTopic
        await publishing.coordinator.commitOffsets { sources throws(KafkaError) in
            let offsets = await owned.partitions(of: sources)
            guard !offsets.isEmpty else { return }
            try await publishing.producer.sendOffsetsToTransaction(
                Dictionary(uniqueKeysWithValues: offsets.map { ($0, Int64(0)) }), topic: workTopic, group: membership)
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await publishing.run() }
            await withTaskGroup(of: Void.self) { members in
                members.addTask {
                    await withGracefulShutdownHandler {
                        for await event in membership.events {
                            switch event {
                            case .assigned(let partitions): await self.start(partitions, publishing: publishing)
                            case .revoked(let partitions): await self.stop(partitions)
                            }
                        }
                    } onGracefulShutdown: {
                        Task { await membership.close() }
                    }
                }
                await withTaskCancellationHandler {
                    await members.waitForAll()
                } onCancel: {
                    Task { await membership.close() }
                }
            }
            await stop(Set(await owned.partitions))
            group.cancelAll()
        }
        await publishing.close()
    }

    /// Before revoked partitions are released: nothing of their units may be committed any more, then they stop.
    private func release(_ partitions: Set<Int32>, publishing: SharedPublishing) async {
        await publishing.coordinator.revoke(sources: await owned.sources(of: partitions))
        await stop(partitions)
    }

    /// The work topic must have exactly one partition per unit, or units would go unowned or be numbered
    /// differently: refuse to start otherwise, saying what to do.
    private func checkWorkTopic() async throws(StreamerError) {
        let partitions: Int?
        do {
            let producer = try KafkaProducer(configuration: shared.kafka, logger: logger)
            try await producer.waitUntilReachable(timeout: shared.brokerConnectTimeout)
            partitions = try await producer.topicPartitionCounts(timeout: .seconds(10))[workTopic]
            await producer.close(timeout: .seconds(1))
        } catch {
            throw StreamerError.kafka(error)
        }
        guard let partitions else {
            throw StreamerError(
                code: .configuration,
                reason: "the work-assignment topic '\(workTopic)' does not exist and could not be created: create it with "
                    + "\(units.count) partitions (one per unit: \(organizations.count) organizations × their tables)")
        }
        guard partitions == units.count else {
            throw StreamerError(
                code: .configuration,
                reason: "the work-assignment topic '\(workTopic)' has \(partitions) partitions but this deployment has "
                    + "\(units.count) units: every instance must list the same organizations and tables, and the topic needs "
                    + "one partition per unit (recreate it, or add partitions, with \(units.count))")
        }
    }

    /// Starts the units of `partitions`; each first waits at one ``CheckpointFence`` shared by this assignment.
    private func start(_ partitions: Set<Int32>, publishing: SharedPublishing) async {
        let fence = CheckpointFence(
            offsets: checkpointOffsets, topic: shared.effectiveCheckpointTopic,
            limit: StableOffsetWait.limit(transactionTimeout: shared.kafka.transactionTimeout), metrics: fenceMetrics,
            logger: logger)
        for partition in partitions.sorted() {
            guard partition >= 0, Int(partition) < units.count else {
                logger.error(
                    "The work topic has more partitions than there are units; check that every instance has the same organizations and tables",
                    metadata: [LoggingKeys.partition: "\(partition)", LoggingKeys.units: "\(units.count)"])
                continue
            }
            let unit = units[Int(partition)]
            let task = Task { await self.runUnit(unit, partition: partition, fence: fence, publishing: publishing) }
            await owned.add(partition: partition, unit: unit, task: task)
            logger.info("Unit assigned", metadata: [LoggingKeys.unit: "\(unit)"])
        }
    }

    private func stop(_ partitions: Set<Int32>) async {
        for task in await owned.remove(partitions) {
            task.cancel()
            await task.value
        }
    }

    /// One key, one budget, wherever its units run: each unit gets an equal share of its organization's request
    /// budget, so the instances together never exceed it.
    ///
    /// - Returns: the unit's requests per second and burst.
    public static func budget(of unit: WorkUnit, among units: [WorkUnit], shared: StreamerConfiguration) -> (Double, Int) {
        let share = max(1, units.filter { $0.organization == unit.organization }.count)
        return (shared.requestsPerSecond / Double(share), max(1, shared.requestBurst / share))
    }

    private func runUnit(_ unit: WorkUnit, partition: Int32, fence: CheckpointFence, publishing: SharedPublishing) async {
        guard let organization = organizations[unit.organization] else { return }
        var configuration = organization.configuration(from: shared)
        (configuration.requestsPerSecond, configuration.requestBurst) = Self.budget(of: unit, among: units, shared: shared)
        configuration.tables = [unit.table]
        var logger = logger
        logger[metadataKey: LoggingKeys.unit] = "\(unit)"
        await StreamerSupervisor.keepRunning(restartDelay: restartDelay, logger: logger) { () async throws(StreamerError) in
            try await fence.pass()  // the previous owner's transaction has ended: its checkpoint is readable
            let key = try organization.loadKey(environment: environment)
            let streamer = try await Streamer.make(
                configuration: configuration, apiKey: key, transport: transport, shared: publishing, logger: logger)
            await self.owned.register(
                source: TableCheckpoint.key(organizationID: streamer.organizationID, table: unit.table), partition: partition)
            return streamer
        }
    }
}

/// The units this instance runs, by partition.
actor OwnedUnits {
    private var running: [Int32: (unit: WorkUnit, task: Task<Void, Never>)] = [:]
    /// `<organization_id>/<table>` of each running unit, once its streamer knows the organization id.
    private var sources: [String: Int32] = [:]

    func register(source: String, partition: Int32) {
        if running[partition] != nil { sources[source] = partition }
    }

    /// The partitions of the units publishing as `names`.
    func partitions(of names: Set<String>) -> Set<Int32> {
        Set(names.compactMap { sources[$0] })
    }

    /// The sources of the units on `partitions`.
    func sources(of partitions: Set<Int32>) -> Set<String> {
        Set(sources.filter { partitions.contains($0.value) }.keys)
    }

    var units: Set<WorkUnit> { Set(running.values.map(\.unit)) }
    var partitions: [Int32] { Array(running.keys) }

    func add(partition: Int32, unit: WorkUnit, task: Task<Void, Never>) {
        running[partition] = (unit, task)
    }

    func remove(_ partitions: Set<Int32>) -> [Task<Void, Never>] {
        sources = sources.filter { !partitions.contains($0.value) }
        return partitions.compactMap { running.removeValue(forKey: $0)?.task }
    }
}
