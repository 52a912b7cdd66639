import Dispatch

/// Runs blocking librdkafka calls off Swift's cooperative pool and bridges back with a continuation.
enum RdKafkaBlocking {
    /// Runs `body` on `queue` and returns its result.
    static func run<T: Sendable>(
        on queue: DispatchQueue, _ body: @escaping @Sendable () -> Result<T, KafkaError>
    ) async throws(KafkaError) -> T {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, KafkaError>, Never>) in
            queue.async { continuation.resume(returning: body()) }
        }
        return try result.get()
    }

    /// A fresh concurrent queue for one client's blocking calls.
    static func makeQueue(_ label: String) -> DispatchQueue {
        DispatchQueue(label: "kafka.\(label)", qos: .utility, attributes: .concurrent)
    }
}
