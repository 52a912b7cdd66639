import Logging

/// The checkpoint store: `<organization_id>/<table>` → JSON value bytes, in a compacted topic.
///
/// Checkpoints are normally written by the caller inside its transaction, together with the events they
/// cover (``record(key:value:)``), so a restart sees either both or neither.
public actor CheckpointStore {
    /// The checkpoint topic.
    public let topic: String
    private let configuration: KafkaConfiguration
    private let producer: KafkaProducer
    private let logger: Logger

    /// Creates a store.
    /// - Parameters:
    ///   - topic: The compacted checkpoint topic.
    ///   - configuration: Connection settings for reading the topic.
    ///   - producer: Used by ``write(key:value:)``.
    ///   - logger: For debug lines (keys only, never values).
    public init(topic: String, configuration: KafkaConfiguration, producer: KafkaProducer, logger: Logger) {
        self.topic = topic
        self.configuration = configuration
        self.producer = producer
        var logger = logger
        logger[metadataKey: LoggingKeys.topic] = "\(topic)"
        self.logger = logger
    }

    /// Reads the topic from the beginning (read_committed): the last value per key wins; a tombstone deletes
    /// the key. Records without a key are ignored. An empty or missing topic yields `[:]`.
    /// - Parameter timeout: The bound for the whole read.
    /// - Returns: Key → value bytes.
    /// - Throws: What ``KafkaTopicReader/reduce(topic:configuration:isolation:timeout:logger:into:_:)`` throws.
    public func load(timeout: Duration) async throws(KafkaError) -> [String: [UInt8]] {
        try await Self.read(topic: topic, configuration: configuration, timeout: timeout, logger: logger)
    }

    /// Reads a checkpoint topic without a store (no producer needed): what ``load(timeout:)`` returns.
    /// - Parameters:
    ///   - topic: The checkpoint topic.
    ///   - configuration: Connection settings.
    ///   - timeout: The bound for the whole read.
    ///   - logger: For debug lines (keys only, never values).
    /// - Returns: Key → value bytes.
    /// - Throws: What ``KafkaTopicReader/reduce(topic:configuration:isolation:timeout:logger:into:_:)`` throws.
    public static func read(
        topic: String, configuration: KafkaConfiguration, timeout: Duration, logger: Logger
    ) async throws(KafkaError) -> [String: [UInt8]] {
        // Streamed: per partition, records arrive in offset order and a key always maps to one partition, so
        // the last version read is the latest; only the latest value per key is kept.
        let (checkpoints, skipped) = try await KafkaTopicReader.reduce(
            topic: topic, configuration: configuration, isolation: .readCommitted, timeout: timeout, logger: logger,
            into: ([String: [UInt8]](), 0)
        ) { state, record in
            guard let keyBytes = record.key else {
                state.1 += 1
                return
            }
            let key = String(decoding: keyBytes, as: UTF8.self)
            if let value = record.value {
                state.0[key] = value
            } else {
                state.0.removeValue(forKey: key)
            }
        }
        if skipped > 0 {
            logger.warning("Ignored checkpoint records without a key", metadata: [LoggingKeys.records: "\(skipped)"])
        }
        logger.debug("Checkpoints loaded", metadata: [LoggingKeys.records: "\(checkpoints.count)"])
        return checkpoints
    }

    /// The record that writes `value` under `key`, for the caller to send inside its transaction.
    /// - Parameters:
    ///   - key: `<organization_id>/<table>`.
    ///   - value: The checkpoint's JSON bytes.
    /// - Returns: A record for the checkpoint topic.
    public nonisolated func record(key: String, value: [UInt8]) -> KafkaRecord {
        KafkaRecord(topic: topic, key: Array(key.utf8), value: value)
    }

    /// Writes one checkpoint outside the caller's transactions and waits for its delivery. With a
    /// transactional producer the write runs in its own transaction: don't call it while one is open.
    /// - Parameters:
    ///   - key: `<organization_id>/<table>`.
    ///   - value: The checkpoint's JSON bytes.
    /// - Throws: What ``KafkaProducer/send(_:)`` and the transaction calls throw.
    public func write(key: String, value: [UInt8]) async throws(KafkaError) {
        let record = record(key: key, value: value)
        if producer.isTransactional {
            try await producer.beginTransaction()
            do {
                _ = try await producer.send([record])
                try await producer.commitTransaction()
            } catch {
                if !error.isFatal { try? await producer.abortTransaction() }
                throw error
            }
        } else {
            _ = try await producer.send([record])
        }
        logger.debug("Checkpoint written", metadata: [LoggingKeys.key: "\(key)"])
    }
}
