import Kafka

@testable import Streamer

/// A producer stand-in that records what the transaction coordinator asks of it, can hold sends until released
/// and can fail the next commit.
actor RecordingSink: TransactionalSink {
    nonisolated let isTransactional: Bool
    /// "begin", "send" (deliver), "produce", "commit", "abort", in call order.
    private(set) var calls: [String] = []
    /// Every record sent, in order.
    private(set) var records: [KafkaRecord] = []
    private var holding: (@Sendable ([KafkaRecord]) -> Bool)? = nil
    private var failing: (@Sendable ([KafkaRecord]) -> Bool)? = nil
    private var held: [CheckedContinuation<Void, Never>] = []
    private var sendWaiters: [(count: Int, waiter: CheckedContinuation<Void, Never>)] = []
    private var failCommits = 0
    private var sends = 0

    init(isTransactional: Bool = true) { self.isTransactional = isTransactional }

    func beginTransaction() async throws(KafkaError) { calls.append("begin") }

    func deliver(_ batch: [KafkaRecord]) async throws(KafkaError) {
        try await send(batch, call: "send")
    }

    /// Recorded, held and failed as a delivery is (a transaction's pages are produced, not delivered); lets the
    /// records go once the send is done (held or not), failed or not.
    func produce(_ batch: [KafkaRecord], released: @escaping @Sendable () -> Void) async throws(KafkaError) {
        defer { released() }
        try await send(batch, call: "produce")
    }

    private func send(_ batch: [KafkaRecord], call: String) async throws(KafkaError) {
        calls.append(call)
        records += batch
        sends += 1
        for (index, entry) in sendWaiters.enumerated().reversed() where sends >= entry.count {
            sendWaiters.remove(at: index)
            entry.waiter.resume()
        }
        if let failing, failing(batch) {
            throw KafkaError(code: .messageTooLarge, reason: "injected delivery failure")
        }
        if let holding, holding(batch) { await withCheckedContinuation { held.append($0) } }
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

    /// Sends (deliveries and produces) from now on wait until ``release()``; only those `which` picks, when given.
    func hold(_ which: (@Sendable ([KafkaRecord]) -> Bool)? = nil) { holding = which ?? { _ in true } }

    /// Sends that `which` picks fail (after being recorded) with a non-fatal error.
    func fail(_ which: @escaping @Sendable ([KafkaRecord]) -> Bool) { failing = which }

    /// Lets every held send (and later ones) finish.
    func release() {
        holding = nil
        for waiter in held { waiter.resume() }
        held = []
    }

    /// Makes the next `count` commits fail with an abortable error.
    func failNextCommits(_ count: Int) { failCommits = count }

    /// Returns once `count` sends (deliveries and produces) have started.
    func waitForSends(_ count: Int) async {
        if sends >= count { return }
        await withCheckedContinuation { sendWaiters.append((count, $0)) }
    }
}
