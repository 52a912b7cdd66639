/// An in-process librdkafka mock cluster on loopback (`rd_kafka_mock_cluster_new`), for tests, the demo and
/// benchmarks.
///
/// Supports idempotent and transactional producers, consumer groups, broker down/up and request-error
/// injection; topics auto-create (4 partitions). It does not implement CreateTopics, keeps only a few MB per
/// partition, and does not track aborted transactions (read_committed readers see aborted records).
public final class KafkaMockCluster: Sendable {
    private let cluster: RdKafkaMockCluster

    /// Starts the cluster.
    /// - Parameter brokers: Broker count (ids 1…N). Default: 3.
    /// - Throws: `.configuration` for fewer than one broker; `.fatal` if librdkafka fails.
    public init(brokers: Int = 3) throws(KafkaError) {
        self.cluster = try RdKafkaMockCluster(brokers: brokers)
    }

    /// The `host:port,…` list to use as ``KafkaConfiguration/bootstrapServers``.
    public var bootstrapServers: String { cluster.bootstrapServers }

    /// The broker ids, `1…N`.
    public var brokerIDs: [Int32] { (1...cluster.brokerCount).map { Int32($0) } }

    /// Creates a topic with an exact partition count (call before producing to it).
    /// - Parameters:
    ///   - name: The topic name.
    ///   - partitions: Partition count.
    ///   - replicationFactor: Replicas (at most the broker count). Default: 1.
    /// - Throws: `KafkaError` if the mock refuses (e.g. the topic exists).
    public func createTopic(_ name: String, partitions: Int, replicationFactor: Int = 1) throws(KafkaError) {
        try cluster.createTopic(name, partitions: partitions, replicationFactor: replicationFactor)
    }

    /// Takes a broker down: its connections close and new ones are refused.
    /// - Parameter brokerID: The broker id.
    public func setBrokerDown(_ brokerID: Int32) { cluster.setBroker(brokerID, up: false) }

    /// Brings a broker back up.
    /// - Parameter brokerID: The broker id.
    public func setBrokerUp(_ brokerID: Int32) { cluster.setBroker(brokerID, up: true) }

    /// Makes the next requests with `apiKey` fail with `errors` (raw `rd_kafka_resp_err_t` values), in order.
    /// - Parameters:
    ///   - apiKey: The Kafka protocol API key (e.g. 0 = Produce, 26 = EndTxn).
    ///   - errors: One error per request.
    public func pushRequestErrors(apiKey: Int16, errors: [Int32]) {
        cluster.pushRequestErrors(apiKey: apiKey, errors: errors)
    }

    /// Drops any queued injected errors for `apiKey`.
    /// - Parameter apiKey: The Kafka protocol API key.
    public func clearRequestErrors(apiKey: Int16) { cluster.clearRequestErrors(apiKey: apiKey) }
}
