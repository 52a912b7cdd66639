import Dispatch
import Logging

/// Reads a whole topic from the beginning up to its end as of the call (every partition), without a consumer
/// group's subscription (partitions are assigned; librdkafka still needs a `group.id`, so a throwaway
/// `<clientID>-reader-<uuid>` is used and no offsets are committed). For checkpoints, row state and tests.
public enum KafkaTopicReader {
    /// Reads every record of `topic` present when the call starts.
    ///
    /// With `.readCommitted` it stops at the last stable offset and skips aborted records (on a real broker:
    /// librdkafka's mock cluster does not track aborted transactions, so there aborted records are returned).
    /// Holds every record: for small topics and tests; use ``reduce(topic:configuration:isolation:timeout:logger:into:_:)``
    /// for topics that can be large.
    /// - Parameters:
    ///   - topic: The topic; one that does not exist yields `[]`.
    ///   - configuration: Connection settings and pass-through properties (producer defaults are not applied).
    ///   - isolation: Default: `.readCommitted`.
    ///   - timeout: The bound for the whole read. Default: 30 s.
    ///   - logger: Receives librdkafka's log lines.
    /// - Returns: The records; within a partition in offset order (partitions interleave).
    /// - Throws: `.brokersUnreachable`, `.timeout`, `.authorization`, `.configuration`, `.consumer`.
    public static func readAll(
        topic: String, configuration: KafkaConfiguration, isolation: IsolationLevel = .readCommitted,
        timeout: Duration = .seconds(30), logger: Logger
    ) async throws(KafkaError) -> [ConsumedRecord] {
        try await reduce(
            topic: topic, configuration: configuration, isolation: isolation, timeout: timeout, logger: logger,
            into: [ConsumedRecord]()
        ) { records, record in records.append(record) }
    }

    /// Streams every record of `topic` present when the call starts through `update`, one at a time, keeping
    /// nothing but what `update` keeps in the accumulated value: memory is bounded by that value, not by the
    /// topic's history.
    ///
    /// - Parameters:
    ///   - topic: The topic; one that does not exist leaves `initial` as it is.
    ///   - configuration: Connection settings and pass-through properties.
    ///   - isolation: Default: `.readCommitted` (see ``readAll(topic:configuration:isolation:timeout:logger:)``).
    ///   - timeout: The bound for the whole read.
    ///   - logger: Receives librdkafka's log lines.
    ///   - initial: The starting value.
    ///   - update: Folds one record into the value; within a partition records come in offset order.
    /// - Returns: The accumulated value.
    /// - Throws: `.brokersUnreachable`, `.timeout`, `.authorization`, `.configuration`, `.consumer`.
    public static func reduce<Value: Sendable>(
        topic: String, configuration: KafkaConfiguration, isolation: IsolationLevel = .readCommitted,
        timeout: Duration = .seconds(30), logger: Logger, into initial: Value,
        _ update: @escaping @Sendable (inout Value, ConsumedRecord) -> Void
    ) async throws(KafkaError) -> Value {
        try configuration.validate()
        let timeoutMs = KafkaConfiguration.milliseconds(timeout)
        return try await RdKafkaBlocking.run(on: DispatchQueue.global(qos: .utility)) {
            var value = initial
            let result = RdKafkaReader.read(
                topic: topic, configuration: configuration, isolation: isolation, timeoutMs: timeoutMs, logger: logger
            ) { record in
                update(&value, record)
                return true
            }
            return result.map { value }
        }
    }

    /// The first record of `topic` found in a read from the beginning, or `nil` when it holds none: whether a
    /// topic holds any record at all at `isolation`, without reading it whole.
    ///
    /// With `.readCommitted` (the default) records of aborted transactions do not count, nor do those of a
    /// transaction still open (the read stops at the last stable offset) — on a real broker: librdkafka's mock
    /// cluster writes no transaction markers, so there aborted records are found too.
    /// - Parameters:
    ///   - topic: The topic; one that does not exist yields `nil`.
    ///   - configuration: Connection settings and pass-through properties.
    ///   - isolation: Default: `.readCommitted`.
    ///   - timeout: The bound for the whole read. Default: 30 s.
    ///   - logger: Receives librdkafka's log lines.
    /// - Returns: The first record delivered (partitions interleave, so not necessarily the oldest).
    /// - Throws: `.brokersUnreachable`, `.timeout`, `.authorization`, `.configuration`, `.consumer`.
    public static func firstRecord(
        topic: String, configuration: KafkaConfiguration, isolation: IsolationLevel = .readCommitted,
        timeout: Duration = .seconds(30), logger: Logger
    ) async throws(KafkaError) -> ConsumedRecord? {
        try configuration.validate()
        let timeoutMs = KafkaConfiguration.milliseconds(timeout)
        return try await RdKafkaBlocking.run(on: DispatchQueue.global(qos: .utility)) {
            var first: ConsumedRecord?
            let result = RdKafkaReader.read(
                topic: topic, configuration: configuration, isolation: isolation, timeoutMs: timeoutMs, logger: logger
            ) { record in
                first = record
                return false
            }
            return result.map { first }
        }
    }

    /// The low and high watermarks of every partition of `topic`: whether it holds records, and where it ends.
    ///
    /// The end depends on `isolation`, as a consumer's does: `.readUncommitted` gives the log end (the high
    /// watermark, counting records of transactions still open); `.readCommitted` gives the last stable offset,
    /// the first offset of the oldest transaction still open (the log end when none is). The broker answers
    /// ListOffsets v2+ with the isolation level of the asking handle, which librdkafka's
    /// `rd_kafka_query_watermark_offsets` sends from `isolation.level`. librdkafka 2.0.2's mock cluster ignores
    /// the level and always answers the log end.
    /// - Parameters:
    ///   - topic: The topic; one that does not exist yields `[]`.
    ///   - configuration: Connection settings.
    ///   - isolation: Which end to report. Default: `.readUncommitted` (the high watermark).
    ///   - timeout: The bound for the metadata and offset requests. Default: 30 s.
    ///   - logger: Receives librdkafka's log lines.
    /// - Returns: One entry per partition, in partition order.
    /// - Throws: `.brokersUnreachable`, `.consumer`, `.configuration`.
    public static func offsets(
        topic: String, configuration: KafkaConfiguration, isolation: IsolationLevel = .readUncommitted,
        timeout: Duration = .seconds(30), logger: Logger
    ) async throws(KafkaError) -> [PartitionOffsets] {
        try configuration.validate()
        let timeoutMs = KafkaConfiguration.milliseconds(timeout)
        return try await RdKafkaBlocking.run(on: DispatchQueue.global(qos: .utility)) {
            RdKafkaReader.offsets(
                topic: topic, configuration: configuration, isolation: isolation, timeoutMs: timeoutMs, logger: logger)
        }
    }
}
