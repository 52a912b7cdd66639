import Kafka
import Logging
import Metrics

/// Publishes pages to Kafka through one shared producer.
///
/// Exactly-once: begin, the page's events and its checkpoint, commit — one transaction per page, one
/// transaction at a time. An abortable error aborts and redoes the page; a fenced or fatal producer stops the
/// streamer. At-least-once: the events, acknowledged, then the checkpoint.
public final class KafkaEventPublisher: EventPublisher {
    private let producer: KafkaProducer
    private let mode: StreamerConfiguration.DeliveryMode
    private let attempts: Int
    private let gate = AsyncSerialGate()
    private let logger: Logger
    private let committed = Counter(label: MetricLabels.transactionsCommitted)
    private let aborted = Counter(label: MetricLabels.transactionsAborted)

    /// A publisher over `producer`, which must already have called `initTransactions()` in exactly-once mode.
    public init(producer: KafkaProducer, mode: StreamerConfiguration.DeliveryMode, attempts: Int, logger: Logger) {
        self.producer = producer
        self.mode = mode
        self.attempts = attempts
        self.logger = logger
    }

    public func publish(_ events: [KafkaRecord], checkpoint: KafkaRecord) async throws(StreamerError) {
        switch mode {
        case .atLeastOnce:
            do {
                if !events.isEmpty { _ = try await producer.send(events) }
                _ = try await producer.send([checkpoint])
            } catch {
                throw StreamerError.kafka(error)
            }
        case .exactlyOnce:
            try await gate.withGate { () async throws(StreamerError) in
                try await self.publishInTransaction(events + [checkpoint])
            }
        }
    }

    private func publishInTransaction(_ records: [KafkaRecord]) async throws(StreamerError) {
        var attempt = 0
        while true {
            attempt += 1
            do {
                try await producer.beginTransaction()
                _ = try await producer.send(records)
                try await producer.commitTransaction()
                committed.increment()
                return
            } catch {
                aborted.increment()
                if error.isFatal || error.code == .fenced {
                    throw StreamerError.kafka(error)
                }
                logger.warning(
                    "Transaction failed; aborting and retrying the page",
                    metadata: [LoggingKeys.attempt: "\(attempt)", LoggingKeys.error: "\(error)"])
                do {
                    try await producer.abortTransaction()
                } catch {
                    if error.isFatal || error.code == .fenced { throw StreamerError.kafka(error) }
                }
                if attempt >= attempts { throw StreamerError.kafka(error) }
                try? await Task.sleep(for: .milliseconds(200 * attempt))
                if Task.isCancelled { throw StreamerError.kafka(error) }
            }
        }
    }
}
