import CRdKafka
import Synchronization

/// One `send` call's outstanding deliveries: the delivery-report callback (on librdkafka's poll thread) fills
/// it in; the sending task awaits it once every record is enqueued.
///
/// librdkafka reads each record's key and value in place (they are enqueued without `RD_KAFKA_MSG_F_COPY`), so
/// the batch keeps the records, and with them the buffers their slices view, until its last delivery report:
/// every enqueued message retains the batch (its opaque) and its report releases it. The records' storage is
/// native Swift array storage that nothing mutates (the batch holds it immutably), so the addresses handed to
/// librdkafka stay valid for as long as the batch lives. When the batch goes, its `onRelease` runs: the records'
/// bytes are let go.
///
/// Per message it costs one retain and one locked update: the messages' opaques point into one slot buffer
/// allocated per batch (not an object per message), and a report's topic is looked up only when asked for.
///
/// `@unchecked Sendable`: `records` and `slots` are written only in `init` and read (never written) by the
/// delivery callbacks afterwards; everything mutable is behind the mutex.
final class DeliveryBatch: @unchecked Sendable {
    private struct State {
        /// Partition and offset per record; empty when the caller wants no reports.
        var partitions: [Int32]
        var offsets: [Int64]
        var firstError: (index: Int, error: KafkaError)?
        /// Records enqueued (added when sealed) less delivery reports received.
        var outstanding = 0
        var sealed = false
        var continuation: CheckedContinuation<Void, Never>?
    }

    /// The records librdkafka reads in place until their delivery reports.
    private let records: [KafkaRecord]
    let transactionalID: String?
    let redactor: Redactor
    private let state: Mutex<State>
    /// Runs when the batch goes (its last enqueued message reported, or none enqueued and the sender done).
    private let onRelease: (@Sendable () -> Void)?
    /// The messages' opaques: slot `i` names this batch and index `i`. Freed with the batch, which every
    /// enqueued message keeps alive (retained at enqueue, released by its delivery report).
    private let slots: UnsafeMutablePointer<DeliverySlot>

    /// - Parameters:
    ///   - records: What will be enqueued; kept until the batch goes.
    ///   - wantsReports: Whether to keep each record's partition and offset.
    ///   - transactionalID: The producer's, for error messages.
    ///   - redactor: Removes secrets from error messages.
    ///   - onRelease: Runs once the batch goes, on whichever thread releases it last (librdkafka's poll thread
    ///     when a delivery report does); it must be quick and must not block.
    init(
        records: [KafkaRecord], wantsReports: Bool, transactionalID: String?, redactor: Redactor,
        onRelease: (@Sendable () -> Void)? = nil
    ) {
        self.records = records
        self.onRelease = onRelease
        self.transactionalID = transactionalID
        self.redactor = redactor
        let count = wantsReports ? records.count : 0
        self.state = Mutex(
            State(partitions: Array(repeating: -1, count: count), offsets: Array(repeating: -1, count: count)))
        self.slots = .allocate(capacity: records.count)
        // `self` is fully initialised here; the slots hold it unretained (see `opaque(for:)`).
        let unmanaged = Unmanaged.passUnretained(self)
        for index in 0..<records.count {
            (slots + index).initialize(to: DeliverySlot(batch: unmanaged, index: index))
        }
    }

    deinit {
        slots.deinitialize(count: records.count)
        slots.deallocate()
        onRelease?()
    }

    /// The opaque for record `index`; retains the batch until ``release(opaque:)`` or the delivery report.
    func retainedOpaque(for index: Int) -> UnsafeMutableRawPointer {
        _ = Unmanaged.passUnretained(self).retain()
        return UnsafeMutableRawPointer(slots + index)
    }

    /// Gives back an opaque whose message was not enqueued.
    static func release(opaque: UnsafeMutableRawPointer) {
        opaque.assumingMemoryBound(to: DeliverySlot.self).pointee.batch.release()
    }

    /// Records one delivery outcome (called from the delivery-report callback).
    func complete(index: Int, code: rd_kafka_resp_err_t, partition: Int32, offset: Int64, rk: OpaquePointer) {
        var failure: KafkaError? = nil
        if code != RD_KAFKA_RESP_ERR_NO_ERROR {
            failure = RdKafkaError.delivery(
                code, rk: rk, topic: records[index].topic, size: records[index].byteCount,
                transactionalID: transactionalID, redactor: redactor)
        }
        let continuation: CheckedContinuation<Void, Never>? = state.withLock { state in
            if let failure {
                if state.firstError.map({ $0.index > index }) ?? true { state.firstError = (index, failure) }
            } else if !state.partitions.isEmpty {
                state.partitions[index] = partition
                state.offsets[index] = offset
            }
            state.outstanding -= 1
            guard state.sealed, state.outstanding == 0 else { return nil }
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume()
    }

    /// Waits until each of the `enqueued` records has a delivery report; returns the first error (by input order).
    func waitForAll(enqueued: Int) async -> KafkaError? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state in
                state.sealed = true
                state.outstanding += enqueued
                if state.outstanding == 0 { return true }
                state.continuation = continuation
                return false
            }
            if done { continuation.resume() }
        }
        return state.withLock { $0.firstError?.error }
    }

    /// Where each record landed, in input order (after ``waitForAll(enqueued:)`` returned no error, and only when
    /// made with `wantsReports`).
    var reports: [DeliveryReport] {
        state.withLock { state in
            state.partitions.indices.map {
                DeliveryReport(topic: records[$0].topic, partition: state.partitions[$0], offset: state.offsets[$0])
            }
        }
    }
}

/// What a message's opaque points at: its batch (retained once per enqueued message) and its index.
struct DeliverySlot {
    let batch: Unmanaged<DeliveryBatch>
    let index: Int
}

/// librdkafka's `dr_msg_cb`: completes the message's slot in its batch and releases the batch.
let rdKafkaDeliveryCallback: @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) -> Void = {
    rk, message, _ in
    guard let rk, let message, let opaque = message.pointee._private else { return }
    let slot = opaque.assumingMemoryBound(to: DeliverySlot.self).pointee
    let batch = slot.batch.takeRetainedValue()
    batch.complete(
        index: slot.index, code: message.pointee.err, partition: message.pointee.partition,
        offset: message.pointee.offset, rk: rk)
}
