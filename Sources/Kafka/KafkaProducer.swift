import Logging

/// Owns one librdkafka producer.
///
/// Idempotent by default (`enable.idempotence=true`, `acks=all`), `partitioner=murmur2_random` (keyed records
/// land where Java clients put them). A dedicated thread polls librdkafka (50 ms) to serve delivery reports
/// until ``close(timeout:)``. Transactional when the configuration has a `transactionalID`.
public final class KafkaProducer: Sendable {
    private let client: RdKafkaProducerClient
    private let logger: Logger
    /// The configuration this producer was created with.
    public let configuration: KafkaConfiguration

    /// Creates the producer (no network I/O yet).
    /// - Parameters:
    ///   - configuration: Validated first.
    ///   - logger: Receives librdkafka's own log lines (secrets scrubbed) at matching levels.
    /// - Throws: `KafkaError` `.configuration` when the configuration or a property is invalid.
    public init(configuration: KafkaConfiguration, logger: Logger) throws(KafkaError) {
        try configuration.validate()
        var logger = logger
        logger[metadataKey: LoggingKeys.clientID] = "\(configuration.clientID)"
        if let id = configuration.transactionalID { logger[metadataKey: LoggingKeys.transactionalID] = "\(id)" }
        self.logger = logger
        self.configuration = configuration
        self.client = try RdKafkaProducerClient(configuration: configuration, logger: logger)
    }

    /// Whether this producer is transactional (has a `transactional.id`).
    public var isTransactional: Bool { configuration.transactionalID != nil }

    /// Waits until a metadata request succeeds.
    /// - Parameter timeout: How long to keep trying.
    /// - Throws: `.brokersUnreachable` naming the bootstrap servers and the time waited; `.closed`.
    public func waitUntilReachable(timeout: Duration) async throws(KafkaError) {
        try await client.waitUntilReachable(timeoutMs: Self.milliseconds(timeout))
    }

    /// Registers the transactional id with its coordinator, fencing older producers with the same id.
    /// Call once, before the first transaction.
    /// - Throws: `.unsupported` without a transactional id; `.fenced`/`.fatal`; `.timeout`.
    public func initTransactions() async throws(KafkaError) {
        try await client.initTransactions()
    }

    /// Begins a transaction; every `send` until commit/abort belongs to it.
    /// - Throws: `.unsupported` without a transactional id or in the wrong state; `.fenced`/`.fatal`.
    public func beginTransaction() async throws(KafkaError) {
        try await client.beginTransaction()
    }

    /// Commits the current transaction (flushing it first). Retriable errors are retried internally within
    /// the transaction timeout.
    /// - Throws: `.transactionAborted` (call ``abortTransaction()`` and redo the work), `.fenced`/`.fatal`
    ///   naming the transactional id, `.timeout`.
    public func commitTransaction() async throws(KafkaError) {
        try await client.commitTransaction()
    }

    /// Aborts the current transaction: its records are never visible to read_committed consumers.
    /// - Throws: `.fenced`/`.fatal`, `.timeout`.
    public func abortTransaction() async throws(KafkaError) {
        try await client.abortTransaction()
    }

    /// Adds consumer-group offsets to the open transaction, with the member's generation (KIP-447): the
    /// transaction commits only if `group`'s member is still current, so a member that lost its partitions in a
    /// rebalance cannot commit work for them.
    /// - Parameters:
    ///   - offsets: Partition → offset to commit.
    ///   - topic: The topic of those partitions.
    ///   - group: The membership whose group commits them.
    /// - Throws: `.transactionAborted` (a stale generation among others: abort and redo), `.fenced`/`.fatal`,
    ///   `.consumer` before the member has joined.
    public func sendOffsetsToTransaction(
        _ offsets: [Int32: Int64], topic: String, group: KafkaGroupMembership
    ) async throws(KafkaError) {
        guard let metadata = group.groupMetadata else {
            throw KafkaError(code: .consumer, reason: "group '\(group.groupID)' has no member metadata yet")
        }
        try await client.sendOffsetsToTransaction(offsets, topic: topic, metadata: metadata)
    }

    /// Enqueues every record and returns when all of them have a delivery report, in input order.
    ///
    /// When librdkafka's queue is full (``KafkaConfiguration/maxQueuedMessages``) it waits for space, so memory
    /// stays bounded. One delivery-report callback completes the whole batch; no thread or task per message.
    /// - Parameter records: The records; may go to several topics.
    /// - Returns: Where each record landed, in input order.
    /// - Throws: The first failed delivery (by input order), after every enqueued record completed:
    ///   `.messageTooLarge`, `.unknownTopic`, `.timeout`, `.fenced`, `.closed`, `.cancelled`, `.delivery`, ….
    public func send(_ records: [KafkaRecord]) async throws(KafkaError) -> [DeliveryReport] {
        try await client.send(records, wantsReports: true)
    }

    /// Enqueues every record and returns when all of them are acknowledged, like ``send(_:)`` without building
    /// a report per record (for callers that only need to know the records are durable).
    /// - Parameter records: The records; may go to several topics.
    /// - Throws: As ``send(_:)``.
    public func deliver(_ records: [KafkaRecord]) async throws(KafkaError) {
        _ = try await client.send(records, wantsReports: false)
    }

    /// Enqueues every record and returns without waiting for their delivery: for records produced into a
    /// transaction, whose ``commitTransaction()`` delivers every record first and fails (abortable) when one could
    /// not be delivered. Waits only for queue space (back-pressure).
    ///
    /// librdkafka reads the records' keys and values in place, without copying them, until each has its delivery
    /// report (delivered, failed or purged by an abort); the producer keeps the records alive until then and runs
    /// `released` once it lets go of the last of them. So a caller that bounds its memory by the bytes it hands
    /// over counts them until `released`, not until this returns.
    /// - Parameters:
    ///   - records: The records; may go to several topics.
    ///   - released: Runs once, when the producer holds none of `records` any more: after the last delivery report
    ///     (on librdkafka's poll thread: keep it short, do not block), or before the throw when none was
    ///     enqueued. A producer destroyed with messages undelivered never runs it.
    /// - Throws: `.unsupported` on a producer that is not transactional (nothing would report a failed delivery);
    ///   an enqueue failure (`.messageTooLarge`, `.unknownTopic`, `.closed`, `.cancelled`, …).
    public func produce(
        _ records: [KafkaRecord], released: @escaping @Sendable () -> Void = {}
    ) async throws(KafkaError) {
        guard isTransactional else {
            released()
            throw KafkaError(code: .unsupported, reason: "produce without waiting needs a transactional producer; use deliver")
        }
        try await client.enqueue(records, onRelease: released)
    }

    /// Waits until every queued message is delivered (or failed).
    /// - Parameter timeout: The bound.
    /// - Throws: `.timeout` with the number of messages left.
    public func flush(timeout: Duration) async throws(KafkaError) {
        try await client.flush(timeoutMs: Self.milliseconds(timeout))
    }

    /// The names of the topics that exist (from a metadata request).
    /// - Parameter timeout: The bound for the metadata request.
    /// - Throws: `.brokersUnreachable`, `.timeout`, `.authorization`, ….
    public func topicNames(timeout: Duration) async throws(KafkaError) -> Set<String> {
        try await client.topicNames(timeoutMs: Self.milliseconds(timeout))
    }

    /// The partition count of every existing topic (from a metadata request).
    /// - Parameter timeout: The bound for the metadata request.
    /// - Throws: `.brokersUnreachable`, `.timeout`, `.authorization`, ….
    public func topicPartitionCounts(timeout: Duration) async throws(KafkaError) -> [String: Int] {
        try await client.topicPartitionCounts(timeoutMs: Self.milliseconds(timeout))
    }

    /// Messages waiting in librdkafka's queue (`rd_kafka_outq_len`), for metrics.
    public var queueDepth: Int { client.queueDepth }

    /// Flushes (bounded by `timeout`), purges what is left (those sends fail with `.closed`), stops the poll
    /// thread and releases the handle. Later calls throw `.closed`. Calling it twice is harmless.
    /// - Parameter timeout: The flush bound.
    public func close(timeout: Duration) async {
        await client.close(timeoutMs: Self.milliseconds(timeout))
        logger.debug("Producer closed")
    }

    static func milliseconds(_ duration: Duration) -> Int32 {
        Int32(clamping: max(0, KafkaConfiguration.milliseconds(duration)))
    }
}
