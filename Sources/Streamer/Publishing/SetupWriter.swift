import Kafka

/// Writes made while a streamer is being built, before its pollers start: a version 1 checkpoint's upgrade, at-
/// least-once's first checkpoint. Through the publisher when it already runs (a fleet's or scale-out's shared
/// coordinator, or a test's publisher), in a transaction of their own on this streamer's producer when its
/// coordinator has not started yet (nothing else uses that producer then).
struct SetupWriter: Sendable {
    /// This streamer's own producer and coordinator, not running yet; `nil` when the publisher runs already.
    let owned: SharedPublishing?
    /// Where pages go otherwise.
    let publisher: any EventPublisher

    /// Writes `records` and `checkpoint` together and returns once they are durable.
    ///
    /// - Parameters:
    ///   - records: state records (may be empty).
    ///   - checkpoint: the checkpoint record.
    ///   - source: the checkpoint's key (the page's source at the publisher gets a `#setup` suffix, so it never
    ///     collides with the poller's own sequence).
    func write(_ records: [KafkaRecord], checkpoint: KafkaRecord, source: String) async throws(StreamerError) {
        if let owned {
            try await owned.writeOutsideCoordinator(records + [checkpoint])
            return
        }
        let setupSource = "\(source)#setup"
        await publisher.beginCycle(source: setupSource, firstSequence: 0)
        try await publisher.publish(PublishedPage(source: setupSource, sequence: 0, records: records, checkpoint: checkpoint))
    }
}
