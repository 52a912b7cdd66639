import Dispatch
import Logging

/// Membership in a consumer group used only to divide work: it subscribes to `topic`, never reads records
/// for the caller (it may poll them away), and reports the partitions the group assigns to this member.
///
/// Kafka's group coordinator does the dividing: give the work topic one partition per unit of work (create it
/// with the right partition count before any member joins), start one membership per process with the same
/// group id, and own exactly the partitions assigned. A dedicated thread polls the consumer (100 ms) and runs
/// the rebalance callback; no offsets are committed.
///
/// Effective properties: the connection settings and pass-through ``KafkaConfiguration/properties`` (producer
/// settings dropped), `group.id`, `enable.auto.commit=false`, `allow.auto.create.topics=false` and
/// `partition.assignment.strategy=cooperative-sticky`. Set `session.timeout.ms` and `heartbeat.interval.ms` in
/// ``KafkaConfiguration/properties`` to bound how fast a crashed member's partitions move (librdkafka's
/// default session timeout is 45 s); `partition.assignment.strategy` there overrides the strategy (e.g.
/// `roundrobin` for eager rebalancing).
///
/// A revoked partition is released as soon as the ``GroupAssignmentEvent/revoked(_:)`` event is yielded, not
/// when the caller has handled it: work that must never overlap between members needs its own fencing (for
/// example a transactional producer per unit).
public final class KafkaGroupMembership: Sendable {
    private let consumer: RdKafkaGroupConsumer
    /// The consumer group id.
    public let groupID: String
    /// The work-assignment topic.
    public let topic: String

    /// Joins the group: creates the consumer, subscribes to `topic` and starts polling. The first assignment
    /// arrives asynchronously on ``events``, once the group has (re)balanced.
    /// - Parameters:
    ///   - configuration: Connection settings and pass-through properties; validated first.
    ///   - groupID: The consumer group id shared by every member dividing the same work.
    ///   - topic: The work-assignment topic (must exist: it is never auto-created).
    ///   - beforeRevoke: Runs before revoked partitions are released; the rebalance waits for it (up to 30 s), as
    ///     it waits for a Java consumer's `onPartitionsRevoked`. Default: none.
    ///   - logger: Receives librdkafka's log lines (secrets scrubbed) and assignment changes at `debug`.
    /// - Throws: `KafkaError` `.configuration` for an invalid configuration, property, empty group id or
    ///   topic; `.consumer` if subscribing fails.
    public init(
        configuration: KafkaConfiguration, groupID: String, topic: String,
        beforeRevoke: (@Sendable (Set<Int32>) async -> Void)? = nil, logger: Logger
    ) throws(KafkaError) {
        try configuration.validate()
        guard !groupID.isEmpty else {
            throw KafkaError(code: .configuration, reason: "groupID is empty: give the consumer group id")
        }
        guard !topic.isEmpty else {
            throw KafkaError(code: .configuration, reason: "topic is empty: give the work-assignment topic")
        }
        var logger = logger
        logger[metadataKey: LoggingKeys.clientID] = "\(configuration.clientID)"
        logger[metadataKey: LoggingKeys.groupID] = "\(groupID)"
        logger[metadataKey: LoggingKeys.topic] = "\(topic)"
        self.groupID = groupID
        self.topic = topic
        self.consumer = try RdKafkaGroupConsumer(
            configuration: configuration, groupID: groupID, topic: topic, beforeRevoke: beforeRevoke, logger: logger)
    }

    deinit {
        consumer.requestStop()
    }

    /// Assignment changes, in order: `.assigned(Set<Int32>)` after a rebalance gives partitions,
    /// `.revoked(Set<Int32>)` before they are taken away. The sequence ends when the membership is closed.
    ///
    /// One stream shared by every caller: iterate it from one task (events are buffered until read).
    public var events: AsyncStream<GroupAssignmentEvent> { consumer.state.events }

    /// The partitions currently owned.
    public var assignment: Set<Int32> { consumer.state.assignment }

    /// Leaves the group (so the others rebalance at once) and destroys the consumer.
    ///
    /// Everything owned is revoked first (a final `.revoked` event), then ``events`` ends. Waits off the
    /// cooperative pool for the poll thread; calling it again returns at once.
    /// This member's group metadata (generation, member id) now, for
    /// ``KafkaProducer/sendOffsetsToTransaction(_:topic:group:)``; `nil` before it joined.
    var groupMetadata: RdKafkaGroupMetadata? { consumer.groupMetadata() }

    public func close() async {
        let consumer = self.consumer
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global(qos: .utility).async {
                consumer.stopAndWait()
                continuation.resume()
            }
        }
    }

    /// Stops without leaving the group, as a crashed process would: no final `.revoked` event, no LeaveGroup;
    /// the consumer is destroyed (without closing) when this membership is released, and the group moves its
    /// partitions only after the session times out. For tests; ``events`` ends.
    func abandon() async {
        let consumer = self.consumer
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global(qos: .utility).async {
                consumer.abandon()
                continuation.resume()
            }
        }
    }
}
