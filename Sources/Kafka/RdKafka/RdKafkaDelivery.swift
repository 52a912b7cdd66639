import CRdKafka
import Synchronization

/// One `send` call's outstanding deliveries: the delivery-report callback (on librdkafka's poll thread) fills
/// it in; the sending task awaits it once every record is enqueued.
final class DeliveryBatch: Sendable {
    private struct State {
        var reports: [DeliveryReport?]
        var firstError: (index: Int, error: KafkaError)?
        var outstanding = 0
        var sealed = false
        var continuation: CheckedContinuation<Void, Never>?
    }

    let topics: [String]
    let sizes: [Int]
    let transactionalID: String?
    let redactor: Redactor
    private let state: Mutex<State>

    init(records: [KafkaRecord], transactionalID: String?, redactor: Redactor) {
        self.topics = records.map(\.topic)
        self.sizes = records.map { ($0.key?.count ?? 0) + ($0.value?.count ?? 0) }
        self.transactionalID = transactionalID
        self.redactor = redactor
        self.state = Mutex(State(reports: Array(repeating: nil, count: records.count)))
    }

    /// Counts one successfully enqueued record.
    func enqueued() {
        state.withLock { $0.outstanding += 1 }
    }

    /// Records one delivery outcome (called from the delivery-report callback).
    func complete(index: Int, result: Result<DeliveryReport, KafkaError>) {
        let continuation: CheckedContinuation<Void, Never>? = state.withLock { state in
            switch result {
            case .success(let report): state.reports[index] = report
            case .failure(let error):
                if state.firstError == nil || state.firstError!.index > index { state.firstError = (index, error) }
            }
            state.outstanding -= 1
            guard state.sealed, state.outstanding == 0 else { return nil }
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume()
    }

    /// Waits until every enqueued record has a delivery report; returns the reports and the first error.
    func waitForAll() async -> (reports: [DeliveryReport?], firstError: KafkaError?) {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state in
                state.sealed = true
                if state.outstanding == 0 { return true }
                state.continuation = continuation
                return false
            }
            if done { continuation.resume() }
        }
        return state.withLock { ($0.reports, $0.firstError?.error) }
    }
}

/// The per-message opaque: which batch and which position. Retained once when enqueued, released by the
/// delivery-report callback (or at once when enqueueing fails).
final class DeliveryToken: Sendable {
    let batch: DeliveryBatch
    let index: Int

    init(batch: DeliveryBatch, index: Int) {
        self.batch = batch
        self.index = index
    }
}

/// librdkafka's `dr_msg_cb`: completes the message's slot in its batch.
let rdKafkaDeliveryCallback: @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) -> Void = {
    rk, message, _ in
    guard let rk, let message, let opaque = message.pointee._private else { return }
    let token = Unmanaged<DeliveryToken>.fromOpaque(opaque).takeRetainedValue()
    let batch = token.batch
    let topic = batch.topics[token.index]
    let code = message.pointee.err
    if code == RD_KAFKA_RESP_ERR_NO_ERROR {
        batch.complete(
            index: token.index,
            result: .success(DeliveryReport(topic: topic, partition: message.pointee.partition, offset: message.pointee.offset)))
    } else {
        let error = RdKafkaError.delivery(
            code, rk: rk, topic: topic, size: batch.sizes[token.index], transactionalID: batch.transactionalID,
            redactor: batch.redactor)
        batch.complete(index: token.index, result: .failure(error))
    }
}
