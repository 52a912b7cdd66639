import Kafka

@testable import Streamer

/// A producer stand-in that records what the transaction coordinator asks of it, can hold sends until released
/// and can fail the next commit.
actor RecordingSink: TransactionalSink {
    nonisolated let isTransactional: Bool
    /// "begin", "send", "commit", "abort", in call order.
    private(set) var calls: [String] = []
    /// Every record sent, in order.
    private(set) var records: [KafkaRecord] = []
    private var holding = false
    private var held: [CheckedContinuation<Void, Never>] = []
    private var sendWaiters: [(count: Int, waiter: CheckedContinuation<Void, Never>)] = []
    private var failCommits = 0
    private var sends = 0

    init(isTransactional: Bool = true) { self.isTransactional = isTransactional }

    func beginTransaction() async throws(KafkaError) { calls.append("begin") }

    func send(_ batch: [KafkaRecord]) async throws(KafkaError) -> [DeliveryReport] {
        calls.append("send")
        records += batch
        sends += 1
        for (index, entry) in sendWaiters.enumerated().reversed() where sends >= entry.count {
            sendWaiters.remove(at: index)
            entry.waiter.resume()
        }
        if holding { await withCheckedContinuation { held.append($0) } }
        return []
    }

    func commitTransaction() async throws(KafkaError) {
        if failCommits > 0 {
            failCommits -= 1
            calls.append("commit-failed")
            throw KafkaError(code: .transactionAborted, reason: "injected abortable commit failure")
        }
        calls.append("commit")
    }

    func abortTransaction() async throws(KafkaError) { calls.append("abort") }

    /// Sends from now on wait until ``release()``.
    func hold() { holding = true }

    /// Lets every held send (and later ones) finish.
    func release() {
        holding = false
        for waiter in held { waiter.resume() }
        held = []
    }

    /// Makes the next `count` commits fail with an abortable error.
    func failNextCommits(_ count: Int) { failCommits = count }

    /// Returns once `count` sends have started.
    func waitForSends(_ count: Int) async {
        if sends >= count { return }
        await withCheckedContinuation { sendWaiters.append((count, $0)) }
    }
}
