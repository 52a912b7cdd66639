import CRdKafka
import Logging
import Synchronization

/// Owns one `rd_kafka_t` and the callback context it points at; destroys both in `deinit`.
///
/// `@unchecked Sendable`: the pointer is immutable and every librdkafka call made through it is documented
/// thread-safe; `rd_kafka_destroy` runs only in `deinit`, when no Swift reference (hence no call) remains.
final class RdKafkaHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    let context: RdKafkaContext
    private let contextOpaque: UnsafeMutableRawPointer
    private let isConsumer: Bool
    private let skipsConsumerClose = Atomic<Bool>(false)
    /// Producers' topic handles by name (see ``topic(named:)``); destroyed before the client.
    private let topics = Mutex<[String: OpaquePointer]>([:])

    private init(pointer: OpaquePointer, context: RdKafkaContext, contextOpaque: UnsafeMutableRawPointer, isConsumer: Bool) {
        self.pointer = pointer
        self.context = context
        self.contextOpaque = contextOpaque
        self.isConsumer = isConsumer
    }

    deinit {
        for topic in topics.withLock({ Array($0.values) }) { rd_kafka_topic_destroy(topic) }
        if skipsConsumerClose.load(ordering: .acquiring) {
            rd_kafka_destroy_flags(pointer, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE)
        } else {
            if isConsumer && rd_kafka_consumer_closed(pointer) == 0 { _ = rd_kafka_consumer_close(pointer) }
            rd_kafka_destroy(pointer)
        }
        Unmanaged<RdKafkaContext>.fromOpaque(contextOpaque).release()
    }

    /// Creates a client.
    /// - Parameters:
    ///   - type: Producer or consumer.
    ///   - properties: librdkafka properties, applied in order.
    ///   - context: Logger and redactor for callbacks.
    ///   - deliveryReports: Whether to install the delivery-report callback (producers that `send`).
    ///   - rebalance: Whether to install the rebalance callback (group members; needs `context.group`).
    static func make(
        type: rd_kafka_type_t, properties: [(name: String, value: String)], context: RdKafkaContext,
        deliveryReports: Bool = false, rebalance: Bool = false
    ) throws(KafkaError) -> RdKafkaHandle {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(code: .fatal, reason: "rd_kafka_conf_new failed (out of memory)")
        }
        var errorText = [CChar](repeating: 0, count: 512)
        for (name, value) in properties {
            let result = rd_kafka_conf_set(conf, name, value, &errorText, errorText.count)
            if result != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                throw KafkaError(
                    code: .configuration,
                    reason: Self.propertyRefusal(name: name, value: value, unknown: result == RD_KAFKA_CONF_UNKNOWN,
                        librdkafkaText: context.redactor.scrub(Self.string(errorText))),
                    rdKafkaCode: Int32(result.rawValue))
            }
        }
        rd_kafka_conf_set_log_cb(conf, rdKafkaLogCallback)
        if deliveryReports {
            rd_kafka_conf_set_dr_msg_cb(conf, rdKafkaDeliveryCallback)
        }
        if rebalance {
            rd_kafka_conf_set_rebalance_cb(conf, rdKafkaRebalanceCallback)
        }
        let opaque = Unmanaged.passRetained(context).toOpaque()
        rd_kafka_conf_set_opaque(conf, opaque)
        guard let rk = rd_kafka_new(type, conf, &errorText, errorText.count) else {
            rd_kafka_conf_destroy(conf)
            Unmanaged<RdKafkaContext>.fromOpaque(opaque).release()
            let text = context.redactor.scrub(Self.string(errorText))
            throw KafkaError(code: .configuration, reason: "librdkafka refused the configuration: \(text)")
        }
        return RdKafkaHandle(pointer: rk, context: context, contextOpaque: opaque, isConsumer: type == RD_KAFKA_CONSUMER)
    }

    /// The topic handle for `name`, made once (for `RD_KAFKA_VTYPE_RKT`: producing by name makes librdkafka look
    /// the topic up under its client-wide write lock for every message). `nil` when librdkafka refuses the name;
    /// producing by name then reports why.
    func topic(named name: String) -> OpaquePointer? {
        topics.withLock { topics -> OpaquePointer? in
            if let existing = topics[name] { return existing }
            guard let created = rd_kafka_topic_new(pointer, name, nil) else { return nil }
            topics[name] = created
            return created
        }
    }

    /// Makes `deinit` destroy a consumer without closing it: no final revoke, no LeaveGroup (the group notices
    /// only when the session times out). For simulating a crashed member.
    func skipConsumerCloseOnDestroy() {
        skipsConsumerClose.store(true, ordering: .releasing)
    }

    /// The error for a property librdkafka refused: it names the property, never its value. librdkafka's own
    /// text often quotes the value (`Invalid value "…" for configuration property "…"`), so the value is cut
    /// out of it wherever it appears (secret values are already scrubbed).
    static func propertyRefusal(name: String, value: String, unknown: Bool, librdkafkaText: String) -> String {
        if unknown { return "unknown librdkafka property '\(name)'" }
        var text = librdkafkaText.replacing("\"\(value)\"", with: "\"<redacted>\"")
        if value.count >= 3 { text = text.replacing(value, with: "<redacted>") }
        return "invalid value for librdkafka property '\(name)' (the value is not shown): \(text)"
    }

    static func string(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Topic names and partition counts from a metadata request (all topics), or an error code.
    func metadata(timeoutMs: Int32) -> (topics: [String: Int32]?, code: rd_kafka_resp_err_t) {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let code = rd_kafka_metadata(pointer, 1, nil, &metadata, timeoutMs)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else { return (nil, code) }
        defer { rd_kafka_metadata_destroy(metadata) }
        var topics: [String: Int32] = [:]
        for index in 0..<Int(metadata.pointee.topic_cnt) {
            let topic = metadata.pointee.topics[index]
            guard topic.err == RD_KAFKA_RESP_ERR_NO_ERROR, let name = topic.topic else { continue }
            topics[String(cString: name)] = topic.partition_cnt
        }
        return (topics, code)
    }

    /// The broker ids named by a metadata request, or `nil` when it failed.
    func brokerIDs(timeoutMs: Int32) -> Set<Int32>? {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let code = rd_kafka_metadata(pointer, 0, nil, &metadata, timeoutMs)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else { return nil }
        defer { rd_kafka_metadata_destroy(metadata) }
        return Set((0..<Int(metadata.pointee.broker_cnt)).map { metadata.pointee.brokers[$0].id })
    }
}
