import Dispatch
import Logging

/// Creates topics through the Admin API (`rd_kafka_CreateTopics`) and describes their configuration
/// (`rd_kafka_DescribeConfigs`).
///
/// Topics that already exist are left as they are. Where the cluster does not implement CreateTopics (e.g.
/// librdkafka's mock cluster) it logs one warning naming `auto.create.topics.enable` and returns
/// `.unsupported` outcomes, so the caller can go on and rely on auto-creation.
public struct KafkaTopicAdmin: Sendable {
    private let configuration: KafkaConfiguration
    private let logger: Logger

    /// Creates the admin (no network I/O until ``ensureTopics(_:timeout:)``).
    /// - Parameters:
    ///   - configuration: Connection settings and pass-through properties.
    ///   - logger: For the "unsupported" warning and librdkafka's log lines.
    public init(configuration: KafkaConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Makes sure every topic exists.
    /// - Parameters:
    ///   - topics: The topics and how to create them when missing.
    ///   - timeout: The bound for the metadata and CreateTopics requests.
    /// - Returns: One outcome per topic name.
    /// - Throws: `.configuration`, `.brokersUnreachable`, `.authorization`, `.authentication`, `.timeout`;
    ///   per-topic failures are `.failed` outcomes, not throws.
    public func ensureTopics(
        _ topics: [TopicSpecification], timeout: Duration
    ) async throws(KafkaError) -> [String: TopicCreationOutcome] {
        try configuration.validate()
        guard !topics.isEmpty else { return [:] }
        let configuration = configuration
        let logger = logger
        let timeoutMs = Int32(clamping: max(1, KafkaConfiguration.milliseconds(timeout)))
        return try await RdKafkaBlocking.run(on: DispatchQueue.global(qos: .utility)) {
            RdKafkaTopicAdmin.ensureTopics(topics, configuration: configuration, timeoutMs: timeoutMs, logger: logger)
        }
    }

    /// The configuration of every existing topic among `names` (`DescribeConfigs`), e.g. its `cleanup.policy`.
    /// - Parameters:
    ///   - names: The topics.
    ///   - timeout: The bound for the metadata and DescribeConfigs requests.
    /// - Returns: Topic name → config name → value, for the topics that exist.
    /// - Throws: `.unsupported` when the cluster does not implement DescribeConfigs (librdkafka's mock cluster);
    ///   `.brokersUnreachable`, `.authorization`, `.timeout`, ….
    public func topicConfigs(_ names: [String], timeout: Duration) async throws(KafkaError) -> [String: [String: String]] {
        try configuration.validate()
        guard !names.isEmpty else { return [:] }
        let configuration = configuration
        let logger = logger
        let timeoutMs = Int32(clamping: max(1, KafkaConfiguration.milliseconds(timeout)))
        return try await RdKafkaBlocking.run(on: DispatchQueue.global(qos: .utility)) {
            RdKafkaTopicAdmin.describeConfigs(names, configuration: configuration, timeoutMs: timeoutMs, logger: logger)
        }
    }
}
