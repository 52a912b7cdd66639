import AdminClient
import Kafka
import Logging
import ServiceLifecycle

/// Shares the work units (organization × table) of a deployment among every instance started with the same
/// group id, through Kafka's consumer-group protocol: each instance is a member of the group subscribed to a
/// work-assignment topic with one partition per unit, and runs exactly the units whose partitions the group
/// coordinator assigns to it. Units move when an instance joins or dies; each unit's producer has its own
/// transactional id, so the new owner fences the old one before it publishes.
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
    private let logger: Logger
    private let owned = OwnedUnits()

    /// A coordinator for `organizations`, joining `groupID` on `workTopic`.
    ///
    /// - Throws: ``StreamerError/Code/configuration`` for overlapping topics (as ``StreamerFleet``).
    public init(
        shared: StreamerConfiguration, organizations: [OrganizationSpec], environment: [String: String], groupID: String,
        workTopic: String? = nil, transport: (any HTTPTransport)? = nil, restartDelay: Duration = .seconds(30),
        logger: Logger
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
        var logger = logger
        logger[metadataKey: LoggingKeys.groupID] = "\(groupID)"
        self.logger = logger
    }

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
        let membership: KafkaGroupMembership
        do {
            membership = try KafkaGroupMembership(
                configuration: kafka, groupID: groupID, topic: workTopic, logger: logger)
        } catch {
            throw StreamerError.kafka(error)
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withGracefulShutdownHandler {
                    for await event in membership.events {
                        switch event {
                        case .assigned(let partitions): await self.start(partitions)
                        case .revoked(let partitions): await self.stop(partitions)
                        }
                    }
                } onGracefulShutdown: {
                    Task { await membership.close() }
                }
            }
            await withTaskCancellationHandler {
                await group.waitForAll()
            } onCancel: {
                Task { await membership.close() }
            }
        }
        await stop(Set(await owned.partitions))
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

    private func start(_ partitions: Set<Int32>) async {
        for partition in partitions.sorted() {
            guard partition >= 0, Int(partition) < units.count else {
                logger.error(
                    "The work topic has more partitions than there are units; check that every instance has the same organizations and tables",
                    metadata: [LoggingKeys.partition: "\(partition)", LoggingKeys.units: "\(units.count)"])
                continue
            }
            let unit = units[Int(partition)]
            let task = Task { await self.runUnit(unit) }
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

    private func runUnit(_ unit: WorkUnit) async {
        guard let organization = organizations[unit.organization] else { return }
        var configuration = organization.configuration(from: shared)
        (configuration.requestsPerSecond, configuration.requestBurst) = Self.budget(of: unit, among: units, shared: shared)
        configuration.tables = [unit.table]
        configuration.transactionalIDPrefix = "\(shared.transactionalIDPrefix)-\(unit.table.name)"
        var logger = logger
        logger[metadataKey: LoggingKeys.unit] = "\(unit)"
        await StreamerSupervisor.keepRunning(restartDelay: restartDelay, logger: logger) { () async throws(StreamerError) in
            let key = try organization.loadKey(environment: environment)
            return try await Streamer.make(configuration: configuration, apiKey: key, transport: transport, logger: logger)
        }
    }
}

/// The units this instance runs, by partition.
actor OwnedUnits {
    private var running: [Int32: (unit: WorkUnit, task: Task<Void, Never>)] = [:]

    var units: Set<WorkUnit> { Set(running.values.map(\.unit)) }
    var partitions: [Int32] { Array(running.keys) }

    func add(partition: Int32, unit: WorkUnit, task: Task<Void, Never>) {
        running[partition] = (unit, task)
    }

    func remove(_ partitions: Set<Int32>) -> [Task<Void, Never>] {
        partitions.compactMap { running.removeValue(forKey: $0)?.task }
    }
}
