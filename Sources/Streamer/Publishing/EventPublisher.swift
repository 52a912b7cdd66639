import Kafka

/// Where a poller's pages go: the events of one page and the checkpoint that covers them, published
/// atomically (exactly-once) or in order (at-least-once).
public protocol EventPublisher: Sendable {
    /// Publishes `events` and then `checkpoint`; returns when both are durable.
    ///
    /// - Throws: ``StreamerError`` when they could not be published; nothing of the page counts as done.
    func publish(_ events: [KafkaRecord], checkpoint: KafkaRecord) async throws(StreamerError)
}
