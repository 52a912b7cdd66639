import Dispatch
import Logging

/// Reads a whole topic from the beginning up to its end as of the call (every partition), without a consumer
/// group's subscription (partitions are assigned; librdkafka still needs a `group.id`, so a throwaway
/// `<clientID>-reader-<uuid>` is used and no offsets are committed). For checkpoints and tests.
public enum KafkaTopicReader {
    /// Reads every record of `topic` present when the call starts.
    ///
    /// With `.readCommitted` it stops at the last stable offset and skips aborted records (on a real broker:
    /// librdkafka's mock cluster does not track aborted transactions, so there aborted records are returned).
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
        try configuration.validate()
        let timeoutMs = KafkaConfiguration.milliseconds(timeout)
        return try await RdKafkaBlocking.run(on: DispatchQueue.global(qos: .utility)) {
            RdKafkaReader.readAll(
                topic: topic, configuration: configuration, isolation: isolation, timeoutMs: timeoutMs, logger: logger)
        }
    }
}
