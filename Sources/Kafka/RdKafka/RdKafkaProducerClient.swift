import CRdKafka
import Dispatch
import Logging
import Synchronization

/// The C side of `KafkaProducer`: one producer handle, its poll thread, and the blocking-call queue.
final class RdKafkaProducerClient: Sendable {
    private struct State {
        var handle: RdKafkaHandle?
        var poller: RdKafkaPoller?
    }

    let bootstrapServers: String
    let transactionalID: String?
    let transactionTimeoutMs: Int32
    let redactor: Redactor
    let logger: Logger
    private let queue: DispatchQueue
    private let state: Mutex<State>

    init(configuration: KafkaConfiguration, logger: Logger) throws(KafkaError) {
        let redactor = Redactor(configuration: configuration)
        let context = RdKafkaContext(logger: logger, redactor: redactor)
        let handle = try RdKafkaHandle.make(
            type: RD_KAFKA_PRODUCER, properties: configuration.producerProperties, context: context,
            deliveryReports: true)
        self.bootstrapServers = configuration.bootstrapServers
        self.transactionalID = configuration.transactionalID
        self.transactionTimeoutMs = Int32(KafkaConfiguration.milliseconds(configuration.transactionTimeout))
        self.redactor = redactor
        self.logger = logger
        self.queue = RdKafkaBlocking.makeQueue("producer")
        let poller = RdKafkaPoller(handle: handle, name: "rdkafka-poll")
        self.state = Mutex(State(handle: handle, poller: poller))
    }

    deinit {
        state.withLock { $0.poller?.requestStop() }
    }

    private func acquire() throws(KafkaError) -> RdKafkaHandle {
        guard let handle = state.withLock({ $0.handle }) else {
            throw KafkaError(code: .closed, reason: "the producer is closed")
        }
        return handle
    }

    var queueDepth: Int {
        guard let handle = state.withLock({ $0.handle }) else { return 0 }
        return Int(rd_kafka_outq_len(handle.pointer))
    }

    // MARK: Sending

    /// Enqueues every record and waits for all their delivery reports; with `wantsReports`, returns where each
    /// landed (in input order), otherwise an empty array.
    func send(_ records: [KafkaRecord], wantsReports: Bool) async throws(KafkaError) -> [DeliveryReport] {
        guard !records.isEmpty else { return [] }
        let handle = try acquire()
        let batch = DeliveryBatch(
            records: records, wantsReports: wantsReports, transactionalID: transactionalID, redactor: redactor)
        let (enqueued, enqueueError) = await enqueue(records, into: batch, handle: handle)
        let deliveryError = await batch.waitForAll(enqueued: enqueued)
        if let error = deliveryError ?? enqueueError { throw transactionFailure(error) }
        return wantsReports ? batch.reports : []
    }

    /// Enqueues every record without waiting for delivery reports (a transaction's commit waits for them);
    /// `onRelease` runs once librdkafka is done with all of them (see ``DeliveryBatch``), or at once when none
    /// could be enqueued.
    func enqueue(_ records: [KafkaRecord], onRelease: @escaping @Sendable () -> Void) async throws(KafkaError) {
        guard !records.isEmpty else { return onRelease() }
        let handle: RdKafkaHandle
        do { handle = try acquire() } catch { onRelease(); throw error }
        let batch = DeliveryBatch(
            records: records, wantsReports: false, transactionalID: transactionalID, redactor: redactor,
            onRelease: onRelease)
        let (_, enqueueError) = await enqueue(records, into: batch, handle: handle)
        if let enqueueError { throw transactionFailure(enqueueError) }
    }

    /// Enqueues `records` in order, their reports going to `batch`, waiting for queue space when it is full;
    /// stops at the first record librdkafka refuses. Returns how many were enqueued and the refusal.
    private func enqueue(
        _ records: [KafkaRecord], into batch: DeliveryBatch, handle: RdKafkaHandle
    ) async -> (Int, KafkaError?) {
        var producer = RecordProducer(handle: handle)
        defer { producer.deallocate() }
        var index = 0
        var waits = 0
        while index < records.count {
            let opaque = batch.retainedOpaque(for: index)
            let code = producer.produce(records[index], opaque: opaque)
            if code == RD_KAFKA_RESP_ERR_NO_ERROR {
                index += 1
                continue
            }
            DeliveryBatch.release(opaque: opaque)
            if code == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                // Back-pressure: the poll thread drains the queue as deliveries complete.
                if Task.isCancelled {
                    return (index, KafkaError(code: .cancelled, reason: "send was cancelled while waiting for queue space"))
                }
                if waits == 0 {
                    logger.debug("Producer queue full, waiting", metadata: [LoggingKeys.records: "\(records.count - index)"])
                }
                waits += 1
                try? await Task.sleep(for: .milliseconds(5))
                continue
            }
            let record = records[index]
            return (
                index,
                RdKafkaError.delivery(
                    code, rk: handle.pointer, topic: record.topic,
                    size: record.byteCount, transactionalID: transactionalID,
                    redactor: redactor)
            )
        }
        return (index, nil)
    }

    /// A transactional producer purges the queue when the transaction fails (abortable error): that is not a
    /// close, the caller must abort and redo.
    private func transactionFailure(_ error: KafkaError) -> KafkaError {
        guard error.code == .closed, let transactionalID, state.withLock({ $0.handle != nil }) else { return error }
        return KafkaError(
            code: .transactionAborted,
            reason: "records were purged because the transaction of transactional.id '\(transactionalID)' "
                + "failed; abort it and redo the work",
            rdKafkaCode: error.rdKafkaCode)
    }

    // MARK: Blocking operations

    private func blocking<T: Sendable>(
        _ body: @escaping @Sendable (RdKafkaHandle) -> Result<T, KafkaError>
    ) async throws(KafkaError) -> T {
        let handle = try acquire()
        return try await RdKafkaBlocking.run(on: queue) { body(handle) }
    }

    func flush(timeoutMs: Int32) async throws(KafkaError) {
        try await blocking { handle -> Result<Void, KafkaError> in
            let code = rd_kafka_flush(handle.pointer, timeoutMs)
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
                let left = rd_kafka_outq_len(handle.pointer)
                return .failure(
                    KafkaError(
                        code: .timeout, reason: "flush timed out after \(timeoutMs) ms with \(left) messages still queued",
                        rdKafkaCode: code.rawValue))
            }
            return .success(())
        }
    }

    func waitUntilReachable(timeoutMs: Int32) async throws(KafkaError) {
        let servers = bootstrapServers
        try await blocking { handle -> Result<Void, KafkaError> in
            let start = ContinuousClock.now
            let deadline = start + .milliseconds(Int(timeoutMs))
            var lastCode = RD_KAFKA_RESP_ERR__TIMED_OUT
            while ContinuousClock.now < deadline {
                let remaining = Int32(max(1, KafkaConfiguration.milliseconds(deadline - ContinuousClock.now)))
                let (topics, code) = handle.metadata(timeoutMs: min(remaining, 1_000))
                if topics != nil { return .success(()) }
                lastCode = code
            }
            let waited = ContinuousClock.now - start
            return .failure(
                KafkaError(
                    code: .brokersUnreachable,
                    reason: "no Kafka broker at '\(servers)' answered a metadata request within \(KafkaConfiguration.milliseconds(waited)) ms "
                        + "(last error: \(RdKafkaError.name(lastCode)))",
                    rdKafkaCode: lastCode.rawValue))
        }
    }

    func topicNames(timeoutMs: Int32) async throws(KafkaError) -> Set<String> {
        Set(try await topicPartitionCounts(timeoutMs: timeoutMs).keys)
    }

    func topicPartitionCounts(timeoutMs: Int32) async throws(KafkaError) -> [String: Int] {
        let servers = bootstrapServers
        return try await blocking { handle -> Result<[String: Int], KafkaError> in
            let (topics, code) = handle.metadata(timeoutMs: timeoutMs)
            if let topics { return .success(topics.mapValues { Int($0) }) }
            return .failure(
                RdKafkaError.general(code, context: "metadata request to '\(servers)'", fallback: .brokersUnreachable))
        }
    }

    // MARK: Transactions

    private func transactional(
        _ operation: String, retryRetriable: Bool,
        _ call: @escaping @Sendable (OpaquePointer, Int32) -> OpaquePointer?
    ) async throws(KafkaError) {
        guard transactionalID != nil else {
            throw KafkaError(code: .unsupported, reason: "\(operation) needs a transactional producer (set transactionalID)")
        }
        let id = transactionalID
        let timeoutMs = transactionTimeoutMs
        let redactor = redactor
        let logger = logger
        try await blocking { handle -> Result<Void, KafkaError> in
            let deadline = ContinuousClock.now + .milliseconds(Int(timeoutMs))
            while true {
                let remaining = Int32(max(1, KafkaConfiguration.milliseconds(deadline - ContinuousClock.now)))
                guard let error = call(handle.pointer, remaining) else { return .success(()) }
                let mapped = RdKafkaError.transactional(
                    error, rk: handle.pointer, operation: operation, transactionalID: id, redactor: redactor)
                if retryRetriable, mapped.code == .retriable || mapped.code == .timeout, ContinuousClock.now < deadline {
                    logger.debug("Retrying transactional call", metadata: [LoggingKeys.error: "\(mapped.reason)"])
                    continue
                }
                return .failure(mapped)
            }
        }
    }

    func initTransactions() async throws(KafkaError) {
        try await transactional("initTransactions", retryRetriable: true) { rk, timeout in
            rd_kafka_init_transactions(rk, timeout)
        }
    }

    func beginTransaction() async throws(KafkaError) {
        try await transactional("beginTransaction", retryRetriable: false) { rk, _ in
            rd_kafka_begin_transaction(rk)
        }
    }

    func commitTransaction() async throws(KafkaError) {
        try await transactional("commitTransaction", retryRetriable: true) { rk, timeout in
            rd_kafka_commit_transaction(rk, timeout)
        }
    }

    func abortTransaction() async throws(KafkaError) {
        try await transactional("abortTransaction", retryRetriable: true) { rk, timeout in
            rd_kafka_abort_transaction(rk, timeout)
        }
    }

    func sendOffsetsToTransaction(
        _ offsets: [Int32: Int64], topic: String, metadata: RdKafkaGroupMetadata
    ) async throws(KafkaError) {
        try await transactional("sendOffsetsToTransaction", retryRetriable: true) { rk, timeout in
            guard let list = rd_kafka_topic_partition_list_new(Int32(offsets.count)) else {
                // Without a list librdkafka answers INVALID_ARG: the failure is reported, not swallowed.
                return rd_kafka_send_offsets_to_transaction(rk, nil, metadata.pointer, timeout)
            }
            defer { rd_kafka_topic_partition_list_destroy(list) }
            for (partition, offset) in offsets.sorted(by: { $0.key < $1.key }) {
                rd_kafka_topic_partition_list_add(list, topic, partition).pointee.offset = offset
            }
            return rd_kafka_send_offsets_to_transaction(rk, list, metadata.pointer, timeout)
        }
    }

    // MARK: Closing

    func close(timeoutMs: Int32) async {
        let taken = state.withLock { state -> State in
            defer { state = State() }
            return state
        }
        guard let handle = taken.handle else { return }
        let poller = taken.poller
        let logger = logger
        _ = try? await RdKafkaBlocking.run(on: queue) { () -> Result<Void, KafkaError> in
            if rd_kafka_flush(handle.pointer, timeoutMs) != RD_KAFKA_RESP_ERR_NO_ERROR {
                let left = rd_kafka_outq_len(handle.pointer)
                logger.warning("Purging undelivered messages on close", metadata: [LoggingKeys.records: "\(left)"])
                _ = rd_kafka_purge(handle.pointer, Int32(RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT))
                _ = rd_kafka_flush(handle.pointer, 1_000)
            }
            poller?.stopAndWait()
            return .success(())
        }
        // `handle` is released here; rd_kafka_destroy runs once no in-flight call holds it.
    }
}
