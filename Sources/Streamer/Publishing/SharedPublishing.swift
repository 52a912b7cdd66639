import Kafka
import Logging

/// The Kafka side of a process: one producer, its ``TransactionCoordinator`` and the checkpoints found at start,
/// shared by every organization the process streams (docs/architecture.md §1.4).
public final class SharedPublishing: Sendable {
    /// The producer (transactional in exactly-once mode).
    public let producer: KafkaProducer
    /// Batches every poller's pages into transactions.
    public let coordinator: TransactionCoordinator
    private let store: CheckpointStore
    private let loaded: LoadedCheckpoints
    private let rowStateLoads: RowStateLoads

    private let reloadsCheckpoints: Bool

    init(
        producer: KafkaProducer, coordinator: TransactionCoordinator, store: CheckpointStore,
        checkpoints: [String: [UInt8]], reloadsCheckpoints: Bool, kafka: KafkaConfiguration, logger: Logger
    ) {
        self.producer = producer
        self.coordinator = coordinator
        self.store = store
        self.loaded = LoadedCheckpoints(checkpoints)
        self.reloadsCheckpoints = reloadsCheckpoints
        self.rowStateLoads = RowStateLoads { topic, scopes throws(StreamerError) in
            try await RowStateStore.load(
                topic: topic, scopes: scopes, configuration: kafka, timeout: .seconds(300), logger: logger)
        }
    }

    /// The row state of `scopes` in `topic`, read after this call. Organizations asking while a read of the topic
    /// is under way share the next one, so a fleet's start reads the state topic a few times, not once per
    /// organization.
    ///
    /// - Throws: ``StreamerError`` when the state topic cannot be read.
    func rowStates(topic: String, scopes: Set<StateScope>) async throws(StreamerError) -> RowStateStore {
        try await rowStateLoads.load(topic: topic, scopes: scopes)
    }

    /// The checkpoints of `organizationID`: the first time, as read at start; after that (an organization
    /// restarting after a failure) read again, since its pollers have moved them on since.
    ///
    /// - Throws: ``StreamerError`` when the checkpoint topic cannot be read.
    func checkpoints(organizationID: String) async throws(StreamerError) -> [String: [UInt8]] {
        if !reloadsCheckpoints, let first = await loaded.take(organizationID) { return first }
        do {
            return try await store.load(timeout: .seconds(60))
        } catch {
            throw StreamerError.kafka(error)
        }
    }

    /// Connects: reaches the brokers, creates missing topics, registers the transactional id (fencing older
    /// producers with it, exactly-once) and reads the checkpoint topic.
    ///
    /// - Parameters:
    ///   - configuration: brokers, delivery mode, commit interval, checkpoint topic.
    ///   - topics: the topics to create when missing.
    ///   - transactionalID: the producer's transactional id (exactly-once).
    ///   - reloadsCheckpoints: read the checkpoint topic again for every streamer made (scale-out: a unit may
    ///     have moved since the start). Default: only for an organization restarting.
    ///   - logger: the logger.
    /// - Throws: ``StreamerError`` from the Kafka failure.
    public static func connect(
        configuration: StreamerConfiguration, topics: [TopicSpecification], transactionalID: String,
        reloadsCheckpoints: Bool = false, logger: Logger
    ) async throws(StreamerError) -> SharedPublishing {
        var kafka = configuration.kafka
        if configuration.delivery == .exactlyOnce { kafka.transactionalID = transactionalID }
        do {
            let producer = try KafkaProducer(configuration: kafka, logger: logger)
            try await producer.waitUntilReachable(timeout: configuration.brokerConnectTimeout)
            let admin = KafkaTopicAdmin(configuration: kafka, logger: logger)
            _ = try await admin.ensureTopics(topics, timeout: .seconds(15))
            try await StartupGuards.requireCompacted(
                [configuration.effectiveCheckpointTopic, configuration.effectiveStateTopic], admin: admin, logger: logger)
            if configuration.delivery == .exactlyOnce { try await producer.initTransactions() }
            let store = CheckpointStore(
                topic: configuration.effectiveCheckpointTopic, configuration: kafka, producer: producer, logger: logger)
            let checkpoints = try await store.load(timeout: .seconds(60))
            let coordinator = TransactionCoordinator(
                sink: producer, policy: CommitPolicy(interval: configuration.commitInterval), logger: logger)
            return SharedPublishing(
                producer: producer, coordinator: coordinator, store: store, checkpoints: checkpoints,
                reloadsCheckpoints: reloadsCheckpoints, kafka: configuration.kafka, logger: logger)
        } catch {
            throw StreamerError.kafka(error)
        }
    }

    /// Writes `records` in a transaction of their own (exactly-once) or acknowledged (at-least-once), bypassing the
    /// coordinator: only while it has not started.
    ///
    /// - Throws: ``StreamerError`` from the Kafka failure (the transaction aborted).
    func writeOutsideCoordinator(_ records: [KafkaRecord]) async throws(StreamerError) {
        do throws(KafkaError) {
            if producer.isTransactional {
                try await producer.beginTransaction()
                do throws(KafkaError) {
                    try await producer.deliver(records)
                    try await producer.commitTransaction()
                } catch {
                    if !error.isFatal { try? await producer.abortTransaction() }
                    throw error
                }
            } else {
                try await producer.deliver(records)
            }
        } catch {
            throw StreamerError.kafka(error)
        }
    }

    /// Publishes until cancelled (see ``TransactionCoordinator/run()``).
    public func run() async {
        await coordinator.run()
    }

    /// Flushes and closes the producer.
    public func close() async {
        await producer.close(timeout: .seconds(10))
    }
}

/// The checkpoints read at start, handed out once per organization.
private actor LoadedCheckpoints {
    private let checkpoints: [String: [UInt8]]
    private var taken: Set<String> = []

    init(_ checkpoints: [String: [UInt8]]) { self.checkpoints = checkpoints }

    func take(_ organizationID: String) -> [String: [UInt8]]? {
        guard taken.insert(organizationID).inserted else { return nil }
        return checkpoints
    }
}
