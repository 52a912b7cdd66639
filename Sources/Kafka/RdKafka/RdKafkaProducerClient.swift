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

    func send(_ records: [KafkaRecord]) async throws(KafkaError) -> [DeliveryReport] {
        guard !records.isEmpty else { return [] }
        let handle = try acquire()
        let batch = DeliveryBatch(records: records, transactionalID: transactionalID, redactor: redactor)
        var enqueueError: KafkaError?
        var index = 0
        var waits = 0
        while index < records.count {
            let token = Unmanaged.passRetained(DeliveryToken(batch: batch, index: index))
            let code = Self.produce(records[index], handle: handle, opaque: token.toOpaque())
            if code == RD_KAFKA_RESP_ERR_NO_ERROR {
                batch.enqueued()
                index += 1
                continue
            }
            token.release()
            if code == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                // Back-pressure: the poll thread drains the queue as deliveries complete.
                if Task.isCancelled {
                    enqueueError = KafkaError(code: .cancelled, reason: "send was cancelled while waiting for queue space")
                    break
                }
                if waits == 0 {
                    logger.debug("Producer queue full, waiting", metadata: [LoggingKeys.records: "\(records.count - index)"])
                }
                waits += 1
                try? await Task.sleep(for: .milliseconds(5))
                continue
            }
            let record = records[index]
            enqueueError = RdKafkaError.delivery(
                code, rk: handle.pointer, topic: record.topic, size: (record.key?.count ?? 0) + (record.value?.count ?? 0),
                transactionalID: transactionalID, redactor: redactor)
            break
        }
        let (reports, deliveryError) = await batch.waitForAll()
        if var error = deliveryError ?? enqueueError {
            // A transactional producer purges the queue when the transaction fails (abortable error): that is
            // not a close, the caller must abort and redo.
            if error.code == .closed, let transactionalID, state.withLock({ $0.handle != nil }) {
                error = KafkaError(
                    code: .transactionAborted,
                    reason: "records were purged because the transaction of transactional.id '\(transactionalID)' "
                        + "failed; abort it and redo the work",
                    rdKafkaCode: error.rdKafkaCode)
            }
            throw error
        }
        return reports.map { $0! }
    }

    /// Enqueues one record with `rd_kafka_produceva` (librdkafka copies key, value and headers).
    private static func produce(_ record: KafkaRecord, handle: RdKafkaHandle, opaque: UnsafeMutableRawPointer) -> rd_kafka_resp_err_t {
        // One scratch allocation holds the header names (NUL-terminated) and values for the call's duration.
        let headerBytes = record.headers.reduce(0) { $0 + $1.name.utf8.count + 1 + ($1.value?.count ?? 0) }
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: max(headerBytes, 1), alignment: 1)
        defer { scratch.deallocate() }
        return record.topic.withCString { topic in
            withBytes(record.key) { keyPointer, keyCount in
                withBytes(record.value) { valuePointer, valueCount in
                    var items: [rd_kafka_vu_t] = []
                    items.reserveCapacity(5 + record.headers.count)
                    var item = rd_kafka_vu_t()
                    item.vtype = RD_KAFKA_VTYPE_TOPIC
                    item.u.cstr = topic
                    items.append(item)
                    item = rd_kafka_vu_t()
                    item.vtype = RD_KAFKA_VTYPE_VALUE
                    item.u.mem.ptr = valuePointer
                    item.u.mem.size = valueCount
                    items.append(item)
                    if record.key != nil {
                        item = rd_kafka_vu_t()
                        item.vtype = RD_KAFKA_VTYPE_KEY
                        item.u.mem.ptr = keyPointer
                        item.u.mem.size = keyCount
                        items.append(item)
                    }
                    item = rd_kafka_vu_t()
                    item.vtype = RD_KAFKA_VTYPE_OPAQUE
                    item.u.ptr = opaque
                    items.append(item)
                    item = rd_kafka_vu_t()
                    item.vtype = RD_KAFKA_VTYPE_MSGFLAGS
                    item.u.i = RD_KAFKA_MSG_F_COPY
                    items.append(item)
                    var cursor = scratch
                    for header in record.headers {
                        let name = cursor.assumingMemoryBound(to: CChar.self)
                        for byte in header.name.utf8 {
                            cursor.storeBytes(of: byte, as: UInt8.self)
                            cursor += 1
                        }
                        cursor.storeBytes(of: 0, as: UInt8.self)
                        cursor += 1
                        var valuePointer: UnsafeRawPointer?
                        var size = 0
                        if let value = header.value {
                            valuePointer = UnsafeRawPointer(cursor)
                            value.withUnsafeBytes { cursor.copyMemory(from: $0.baseAddress ?? UnsafeRawPointer(cursor), byteCount: $0.count) }
                            cursor += value.count
                            size = value.count
                        }
                        item = rd_kafka_vu_t()
                        item.vtype = RD_KAFKA_VTYPE_HEADER
                        item.u.header.name = UnsafePointer(name)
                        item.u.header.val = valuePointer
                        item.u.header.size = header.value == nil ? -1 : size
                        items.append(item)
                    }
                    guard let error = rd_kafka_produceva(handle.pointer, items, items.count) else {
                        return RD_KAFKA_RESP_ERR_NO_ERROR
                    }
                    defer { rd_kafka_error_destroy(error) }
                    return rd_kafka_error_code(error)
                }
            }
        }
    }

    /// Calls `body` with a pointer and count for optional bytes: `nil` → (nil, 0); empty → (non-nil, 0).
    private static func withBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeMutableRawPointer?, Int) -> R) -> R {
        guard let bytes else { return body(nil, 0) }
        if bytes.isEmpty {
            var placeholder: UInt8 = 0
            return withUnsafeMutableBytes(of: &placeholder) { body($0.baseAddress, 0) }
        }
        // librdkafka only reads through the pointer (RD_KAFKA_MSG_F_COPY).
        return bytes.withUnsafeBytes { body(UnsafeMutableRawPointer(mutating: $0.baseAddress), $0.count) }
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
