import CRdKafka

/// A group member's metadata (group id, generation, member id) as librdkafka hands it to
/// `rd_kafka_send_offsets_to_transaction`: owned here, destroyed in `deinit`.
///
/// `@unchecked Sendable`: the pointer is only read by librdkafka (thread-safe for that) and freed once.
final class RdKafkaGroupMetadata: @unchecked Sendable {
    let pointer: OpaquePointer

    init?(consumer: RdKafkaHandle) {
        guard let pointer = rd_kafka_consumer_group_metadata(consumer.pointer) else { return nil }
        self.pointer = pointer
    }

    deinit {
        rd_kafka_consumer_group_metadata_destroy(pointer)
    }
}
