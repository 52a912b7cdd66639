import CRdKafka
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging

/// The C side of `KafkaTopicReader`: a throwaway consumer that assigns every partition from the beginning.
enum RdKafkaReader {
    /// Reads `topic` from the beginning to its end as of the call, handing each record to `body` as it arrives
    /// and keeping none (blocking: call off the cooperative pool). `body` returns whether to read on: `false`
    /// stops the read there.
    static func read(
        topic: String, configuration: KafkaConfiguration, isolation: IsolationLevel, timeoutMs: Int, logger: Logger,
        _ body: (ConsumedRecord) -> Bool
    ) -> Result<Void, KafkaError> {
        let deadline = ContinuousClock.now + .milliseconds(timeoutMs)
        func remainingMs() -> Int32 {
            Int32(clamping: max(1, KafkaConfiguration.milliseconds(deadline - ContinuousClock.now)))
        }
        let handle: RdKafkaHandle
        switch makeConsumer(configuration: configuration, isolation: isolation, purpose: "reader", logger: logger) {
        case .success(let made): handle = made
        case .failure(let error): return .failure(error)
        }
        let rk = handle.pointer

        // Partitions, from metadata (all topics, so nothing gets auto-created).
        var partitionCount: Int32?
        var lastCode = RD_KAFKA_RESP_ERR__TIMED_OUT
        while ContinuousClock.now < deadline {
            let (topics, code) = handle.metadata(timeoutMs: min(remainingMs(), 1_000))
            if let topics {
                partitionCount = topics[topic] ?? 0
                break
            }
            lastCode = code
        }
        guard let partitionCount else {
            return .failure(
                KafkaError(
                    code: .brokersUnreachable,
                    reason: "no Kafka broker at '\(configuration.bootstrapServers)' answered a metadata request "
                        + "within \(timeoutMs) ms (last error: \(RdKafkaError.name(lastCode)))",
                    rdKafkaCode: lastCode.rawValue))
        }
        if partitionCount == 0 { return .success(()) }

        // The end of each partition as of now.
        var highWatermarks: [Int32: Int64] = [:]
        switch watermarks(handle: handle, topic: topic, partitions: partitionCount, deadline: deadline) {
        case .failure(let error): return .failure(error)
        case .success(let offsets):
            for offset in offsets where offset.high > offset.low { highWatermarks[offset.partition] = offset.high }
        }
        if highWatermarks.isEmpty { return .success(()) }

        // Assign every non-empty partition from the beginning.
        guard let list = rd_kafka_topic_partition_list_new(Int32(highWatermarks.count)) else {
            return .failure(KafkaError(code: .fatal, reason: "rd_kafka_topic_partition_list_new failed"))
        }
        for partition in highWatermarks.keys.sorted() {
            rd_kafka_topic_partition_list_add(list, topic, partition).pointee.offset = Int64(RD_KAFKA_OFFSET_BEGINNING)
        }
        let assignCode = rd_kafka_assign(rk, list)
        rd_kafka_topic_partition_list_destroy(list)
        guard assignCode == RD_KAFKA_RESP_ERR_NO_ERROR else {
            return .failure(RdKafkaError.general(assignCode, context: "assigning topic '\(topic)'", fallback: .consumer))
        }

        var pending = Set(highWatermarks.keys)
        while !pending.isEmpty {
            guard ContinuousClock.now < deadline else {
                return .failure(
                    KafkaError(
                        code: .timeout,
                        reason: "reading topic '\(topic)' did not reach the end of partitions "
                            + "\(pending.sorted()) within \(timeoutMs) ms"))
            }
            guard let message = rd_kafka_consumer_poll(rk, 100) else { continue }
            defer { rd_kafka_message_destroy(message) }
            let partition = message.pointee.partition
            let offset = message.pointee.offset
            let code = message.pointee.err
            if code == RD_KAFKA_RESP_ERR__PARTITION_EOF {
                // Caught up with the end visible at this isolation level (the LSO for read_committed).
                pending.remove(partition)
                continue
            }
            if code != RD_KAFKA_RESP_ERR_NO_ERROR {
                let error = RdKafkaError.general(code, context: "reading topic '\(topic)'", fallback: .consumer)
                if error.code == .authorization || error.code == .authentication || error.code == .fatal {
                    return .failure(error)
                }
                logger.debug("Consumer error, continuing", metadata: [LoggingKeys.error: "\(error.reason)"])
                continue
            }
            guard let high = highWatermarks[partition], offset < high else {
                pending.remove(partition)
                continue
            }
            guard body(consumedRecord(message, topic: topic)) else { return .success(()) }
            if offset + 1 >= high { pending.remove(partition) }
        }
        return .success(())
    }

    /// The low and high watermarks of `topic`'s partitions (blocking: call off the cooperative pool); `[]` when
    /// the topic does not exist. The handle's `isolation.level` goes into its ListOffsets requests: with
    /// `.readCommitted` the high watermark the broker answers is the last stable offset.
    static func offsets(
        topic: String, configuration: KafkaConfiguration, isolation: IsolationLevel, timeoutMs: Int, logger: Logger
    ) -> Result<[PartitionOffsets], KafkaError> {
        let deadline = ContinuousClock.now + .milliseconds(timeoutMs)
        let handle: RdKafkaHandle
        switch makeConsumer(configuration: configuration, isolation: isolation, purpose: "offsets", logger: logger) {
        case .success(let made): handle = made
        case .failure(let error): return .failure(error)
        }
        let (topics, code) = handle.metadata(timeoutMs: Int32(clamping: max(1, timeoutMs)))
        guard let topics else {
            return .failure(
                RdKafkaError.general(
                    code, context: "metadata request to '\(configuration.bootstrapServers)'", fallback: .brokersUnreachable))
        }
        guard let partitions = topics[topic], partitions > 0 else { return .success([]) }
        return watermarks(handle: handle, topic: topic, partitions: partitions, deadline: deadline)
    }

    private static func watermarks(
        handle: RdKafkaHandle, topic: String, partitions: Int32, deadline: ContinuousClock.Instant
    ) -> Result<[PartitionOffsets], KafkaError> {
        var result: [PartitionOffsets] = []
        for partition in 0..<partitions {
            while true {
                var low: Int64 = 0
                var high: Int64 = 0
                let remaining = Int32(clamping: max(1, KafkaConfiguration.milliseconds(deadline - ContinuousClock.now)))
                let code = rd_kafka_query_watermark_offsets(handle.pointer, topic, partition, &low, &high, min(remaining, 5_000))
                if code == RD_KAFKA_RESP_ERR_NO_ERROR {
                    result.append(PartitionOffsets(partition: partition, low: low, high: high))
                    break
                }
                if ContinuousClock.now >= deadline {
                    return .failure(
                        RdKafkaError.general(
                            code, context: "querying the end offsets of topic '\(topic)' [\(partition)]",
                            fallback: .consumer))
                }
            }
        }
        return .success(result)
    }

    private static func bytes(_ pointer: UnsafeMutableRawPointer?, _ count: Int) -> [UInt8]? {
        guard let pointer else { return nil }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    private static func consumedRecord(_ message: UnsafeMutablePointer<rd_kafka_message_t>, topic: String) -> ConsumedRecord {
        var headers: [KafkaHeader] = []
        var list: OpaquePointer?
        if rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list {
            var index = 0
            while true {
                var name: UnsafePointer<CChar>?
                var value: UnsafeRawPointer?
                var size = 0
                guard rd_kafka_header_get_all(list, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR else { break }
                let headerValue = value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }
                headers.append(KafkaHeader(name: name.map { String(cString: $0) } ?? "", value: headerValue))
                index += 1
            }
        }
        return ConsumedRecord(
            topic: topic, partition: message.pointee.partition, offset: message.pointee.offset,
            key: bytes(message.pointee.key, message.pointee.key_len),
            value: bytes(message.pointee.payload, message.pointee.len), headers: headers)
    }

    /// A consumer handle with its own throwaway group (`<client id>-<purpose>-<uuid>`) at `isolation`.
    private static func makeConsumer(
        configuration: KafkaConfiguration, isolation: IsolationLevel, purpose: String, logger: Logger
    ) -> Result<RdKafkaHandle, KafkaError> {
        let context = RdKafkaContext(logger: logger, redactor: Redactor(configuration: configuration))
        do {
            return .success(
                try RdKafkaHandle.make(
                    type: RD_KAFKA_CONSUMER,
                    properties: configuration.consumerProperties(
                        isolation: isolation, groupID: "\(configuration.clientID)-\(purpose)-\(UUID().uuidString)"),
                    context: context))
        } catch {
            return .failure(error)
        }
    }

}
