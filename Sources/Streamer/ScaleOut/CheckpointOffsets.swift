import Kafka
import Logging

/// Where a ``CheckpointFence`` reads the checkpoint topic's offsets: Kafka in production, a script in tests.
protocol CheckpointOffsets: Sendable {
    /// The end offset (high watermark, `read_uncommitted`) of each partition of the checkpoint topic.
    ///
    /// - Throws: ``StreamerError`` when the brokers do not answer.
    func ends() async throws(StreamerError) -> [Int32: Int64]

    /// The last stable offset (`read_committed`) of each partition of the checkpoint topic.
    ///
    /// - Throws: ``StreamerError`` when the brokers do not answer.
    func stable() async throws(StreamerError) -> [Int32: Int64]
}

/// The checkpoint topic's offsets, asked of the brokers (ListOffsets at each isolation level).
struct KafkaCheckpointOffsets: CheckpointOffsets {
    /// The checkpoint topic.
    var topic: String
    /// Connection settings.
    var configuration: KafkaConfiguration
    /// The bound for one reading.
    var timeout: Duration = .seconds(10)
    /// Receives librdkafka's log lines.
    var logger: Logger

    func ends() async throws(StreamerError) -> [Int32: Int64] {
        try await read(.readUncommitted)
    }

    func stable() async throws(StreamerError) -> [Int32: Int64] {
        try await read(.readCommitted)
    }

    private func read(_ isolation: IsolationLevel) async throws(StreamerError) -> [Int32: Int64] {
        do {
            let offsets = try await KafkaTopicReader.offsets(
                topic: topic, configuration: configuration, isolation: isolation, timeout: timeout, logger: logger)
            return Dictionary(offsets.map { ($0.partition, $0.high) }) { first, _ in first }
        } catch {
            throw StreamerError.kafka(error)
        }
    }
}
