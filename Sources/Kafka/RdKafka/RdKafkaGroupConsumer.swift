import CRdKafka
import Dispatch
import Logging
import Synchronization

/// What a group member's rebalance callback (on its poll thread) shares with callers: the partitions owned
/// and the event stream. Reached from the callback through `RdKafkaContext.group`.
final class RdKafkaGroupState: Sendable {
    let topic: String
    /// Runs before revoked partitions are released (the rebalance waits for it, up to ``revocationTimeout``).
    let beforeRevoke: (@Sendable (Set<Int32>) async -> Void)?
    /// The longest a rebalance waits for ``beforeRevoke``.
    static let revocationTimeout: DispatchTimeInterval = .seconds(30)
    let events: AsyncStream<GroupAssignmentEvent>
    private let continuation: AsyncStream<GroupAssignmentEvent>.Continuation
    // Written only by the poll thread (rebalance callback), read by any caller.
    private let owned = Mutex<Set<Int32>>([])

    init(topic: String, beforeRevoke: (@Sendable (Set<Int32>) async -> Void)? = nil) {
        self.topic = topic
        self.beforeRevoke = beforeRevoke
        (self.events, self.continuation) = AsyncStream.makeStream(of: GroupAssignmentEvent.self)
    }

    var assignment: Set<Int32> { owned.withLock { $0 } }

    /// Records and reports partitions gained (nothing when `partitions` is empty).
    func assigned(_ partitions: Set<Int32>) {
        guard !partitions.isEmpty else { return }
        owned.withLock { $0.formUnion(partitions) }
        continuation.yield(.assigned(partitions))
    }

    /// Reports partitions about to be lost (before librdkafka releases them) and forgets them.
    func revoked(_ partitions: Set<Int32>) {
        guard !partitions.isEmpty else { return }
        if let beforeRevoke {
            // The poll thread waits, as a Java consumer's onPartitionsRevoked does: nothing of these partitions'
            // work may be committed once another member owns them.
            let done = DispatchSemaphore(value: 0)
            Task {
                await beforeRevoke(partitions)
                done.signal()
            }
            _ = done.wait(timeout: .now() + Self.revocationTimeout)
        }
        continuation.yield(.revoked(partitions))
        owned.withLock { $0.subtract(partitions) }
    }

    func finish() {
        continuation.finish()
    }
}

/// The C side of `KafkaGroupMembership`: a subscribed consumer and the dedicated thread that polls it.
///
/// Every call on the consumer after `subscribe` (poll, the rebalance callback's assign/unassign, close) runs
/// on that one thread; callers only read `state` and ask the thread to stop.
final class RdKafkaGroupConsumer: Sendable {
    let state: RdKafkaGroupState
    private let handle: RdKafkaHandle
    private let logger: Logger
    private let stopRequested = Atomic<Bool>(false)
    private let leavesOnStop = Atomic<Bool>(true)
    private let finished = DispatchSemaphore(value: 0)

    /// Creates the consumer, subscribes to `topic` and starts the poll thread.
    init(
        configuration: KafkaConfiguration, groupID: String, topic: String,
        beforeRevoke: (@Sendable (Set<Int32>) async -> Void)? = nil, logger: Logger
    ) throws(KafkaError) {
        let state = RdKafkaGroupState(topic: topic, beforeRevoke: beforeRevoke)
        let context = RdKafkaContext(logger: logger, redactor: Redactor(configuration: configuration), group: state)
        let handle: RdKafkaHandle
        do {
            handle = try RdKafkaHandle.make(
                type: RD_KAFKA_CONSUMER, properties: configuration.groupMembershipProperties(groupID: groupID),
                context: context, rebalance: true)
        } catch {
            state.finish()
            throw error
        }
        let rk = handle.pointer
        _ = rd_kafka_poll_set_consumer(rk)
        guard let list = rd_kafka_topic_partition_list_new(1) else {
            state.finish()
            throw KafkaError(code: .fatal, reason: "rd_kafka_topic_partition_list_new failed")
        }
        rd_kafka_topic_partition_list_add(list, topic, RD_KAFKA_PARTITION_UA)
        let code = rd_kafka_subscribe(rk, list)
        rd_kafka_topic_partition_list_destroy(list)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            state.finish()
            throw RdKafkaError.general(
                code, context: "subscribing group '\(groupID)' to topic '\(topic)'", fallback: .consumer)
        }
        self.state = state
        self.handle = handle
        self.logger = logger

        DedicatedThread.start(name: "kafka.group") { [self] in self.pollUntilStopped() }
    }

    /// Polls (serving rebalances) until asked to stop, then leaves the group and ends the event stream.
    private func pollUntilStopped() {
        let rk = handle.pointer
        while !stopRequested.load(ordering: .acquiring) {
            // Blocks up to 100 ms; rebalance callbacks run inside this call.
            guard let message = rd_kafka_consumer_poll(rk, 100) else { continue }
            let code = message.pointee.err
            rd_kafka_message_destroy(message)
            if code != RD_KAFKA_RESP_ERR_NO_ERROR {
                let error = RdKafkaError.general(
                    code, context: "group membership on topic '\(state.topic)'", fallback: .consumer)
                let level: Logger.Level =
                    error.code == .unknownTopic || error.code == .authorization || error.code == .authentication
                    ? .warning : .debug
                logger.log(level: level, "Group consumer error", metadata: [LoggingKeys.error: "\(error.reason)"])
            }
        }
        if leavesOnStop.load(ordering: .acquiring) {
            // Revokes what is owned (the rebalance callback runs here), sends LeaveGroup so the others
            // rebalance now.
            let code = rd_kafka_consumer_close(rk)
            if code != RD_KAFKA_RESP_ERR_NO_ERROR {
                logger.debug(
                    "Closing the group consumer failed", metadata: [LoggingKeys.error: "\(RdKafkaError.name(code))"])
            }
            // A callback that did not run (e.g. no coordinator reachable) must not leave partitions claimed.
            state.revoked(state.assignment)
        }
        state.finish()
        finished.signal()
    }

    /// The member's current group metadata (generation and member id), for a transaction's offsets.
    func groupMetadata() -> RdKafkaGroupMetadata? {
        RdKafkaGroupMetadata(consumer: handle)
    }

    /// Asks the thread to stop without waiting (for `deinit`).
    func requestStop() {
        stopRequested.store(true, ordering: .releasing)
    }

    /// Stops polling without leaving the group or revoking anything, as a crashed process would; the consumer
    /// is destroyed without LeaveGroup once the last reference is gone. For tests.
    func abandon() {
        leavesOnStop.store(false, ordering: .releasing)
        handle.skipConsumerCloseOnDestroy()
        stopAndWait()
    }

    /// Stops the thread, which leaves the group, and waits for it (blocking: call off the cooperative pool).
    func stopAndWait() {
        requestStop()
        finished.wait()
        finished.signal()  // Leaves the semaphore signalled: later callers return at once.
    }

    /// The partition numbers of `topic` in a librdkafka list.
    static func partitions(_ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>, topic: String) -> Set<Int32> {
        var result: Set<Int32> = []
        for index in 0..<Int(list.pointee.cnt) {
            let element = list.pointee.elems[index]
            guard let name = element.topic, String(cString: name) == topic else { continue }
            result.insert(element.partition)
        }
        return result
    }
}

/// librdkafka's `rebalance_cb` for group members: (incrementally) assigns or unassigns, reporting the change
/// through the handle's `RdKafkaGroupState`. Runs on the member's poll thread.
let rdKafkaRebalanceCallback:
    @convention(c) (
        OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
        UnsafeMutableRawPointer?
    ) -> Void = { rk, code, list, _ in
        guard let rk, let context = RdKafkaContext.from(rk), let group = context.group else { return }
        let partitions = list.map { RdKafkaGroupConsumer.partitions($0, topic: group.topic) } ?? []
        let cooperative = rd_kafka_rebalance_protocol(rk).map { String(cString: $0) } == "COOPERATIVE"
        let logger = context.logger
        let metadata: Logger.Metadata = [
            LoggingKeys.partitions: "\(partitions.sorted())",
            LoggingKeys.rebalanceProtocol: "\(cooperative ? "cooperative" : "eager")",
        ]

        func report(_ error: OpaquePointer?, _ operation: String) {
            guard let error else { return }
            let text = context.redactor.scrub(rd_kafka_error_string(error).map { String(cString: $0) } ?? "")
            rd_kafka_error_destroy(error)
            logger.error("Rebalance step failed", metadata: [LoggingKeys.error: "\(operation): \(text)"])
        }
        func report(_ code: rd_kafka_resp_err_t, _ operation: String) {
            guard code != RD_KAFKA_RESP_ERR_NO_ERROR else { return }
            logger.error("Rebalance step failed", metadata: [LoggingKeys.error: "\(operation): \(RdKafkaError.name(code))"])
        }

        switch code {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            if cooperative {
                report(rd_kafka_incremental_assign(rk, list), "incremental assign")
            } else {
                report(rd_kafka_assign(rk, list), "assign")
            }
            logger.debug("Partitions assigned", metadata: metadata)
            group.assigned(partitions)
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            let lost = rd_kafka_assignment_lost(rk) != 0
            logger.log(level: lost ? .warning : .debug, lost ? "Partitions lost" : "Partitions revoked", metadata: metadata)
            group.revoked(partitions)
            if cooperative {
                report(rd_kafka_incremental_unassign(rk, list), "incremental unassign")
            } else {
                report(rd_kafka_assign(rk, nil), "unassign")
            }
        default:
            logger.error("Rebalance failed", metadata: [LoggingKeys.error: "\(RdKafkaError.name(code))"])
            group.revoked(group.assignment)
            report(rd_kafka_assign(rk, nil), "unassign")
        }
    }
