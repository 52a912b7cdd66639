import CRdKafka
import Logging

/// The C side of `KafkaMockCluster`: a dummy producer handle hosting `rd_kafka_mock_cluster_t`.
///
/// `@unchecked Sendable`: the mock-cluster pointer is immutable; librdkafka's mock API locks internally
/// (calls are forwarded to the cluster's own thread), and the cluster is destroyed only in `deinit`.
final class RdKafkaMockCluster: @unchecked Sendable {
    private let handle: RdKafkaHandle
    private let cluster: OpaquePointer
    let bootstrapServers: String
    let brokerCount: Int

    init(brokers: Int) throws(KafkaError) {
        guard brokers >= 1 else {
            throw KafkaError(code: .configuration, reason: "a mock cluster needs at least one broker, got \(brokers)")
        }
        let silent = Logger(label: "kafka.mock", factory: { _ in SwiftLogNoOpLogHandler() })
        let context = RdKafkaContext(logger: silent, redactor: Redactor(configuration: KafkaConfiguration(bootstrapServers: "")))
        self.handle = try RdKafkaHandle.make(type: RD_KAFKA_PRODUCER, properties: [], context: context)
        guard let cluster = rd_kafka_mock_cluster_new(handle.pointer, Int32(brokers)) else {
            throw KafkaError(code: .fatal, reason: "rd_kafka_mock_cluster_new failed")
        }
        self.cluster = cluster
        self.bootstrapServers = rd_kafka_mock_cluster_bootstraps(cluster).map { String(cString: $0) } ?? ""
        self.brokerCount = brokers
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
    }

    func createTopic(_ name: String, partitions: Int, replicationFactor: Int) throws(KafkaError) {
        let code = rd_kafka_mock_topic_create(cluster, name, Int32(partitions), Int32(replicationFactor))
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw RdKafkaError.general(code, context: "creating mock topic '\(name)'", fallback: .configuration)
        }
    }

    func setBroker(_ id: Int32, up: Bool) {
        if up {
            _ = rd_kafka_mock_broker_set_up(cluster, id)
        } else {
            _ = rd_kafka_mock_broker_set_down(cluster, id)
        }
    }

    func pushRequestErrors(apiKey: Int16, errors: [Int32]) {
        let codes = errors.map { rd_kafka_resp_err_t(rawValue: $0) }
        codes.withUnsafeBufferPointer { buffer in
            rd_kafka_mock_push_request_errors_array(cluster, apiKey, buffer.count, buffer.baseAddress)
        }
    }

    func clearRequestErrors(apiKey: Int16) {
        rd_kafka_mock_clear_request_errors(cluster, apiKey)
    }
}
