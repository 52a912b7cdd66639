/// What becomes of a page handed over with ``EventPublisher/submit(_:)``: first the publisher lets go of its
/// records (Kafka's client has delivered them to the broker, or the page failed), then the page is durable or
/// lost. The page's metadata (source, sequence, checkpoint) is all the publisher keeps in between.
public struct PageReceipt: Sendable {
    /// One step of a page's fate, in order.
    enum Step: Sendable {
        /// The publisher holds none of the page's records any more.
        case released
        /// The page is durable (`.success`) or lost.
        case settled(Result<Void, StreamerError>)
    }

    private let steps: AsyncStream<Step>

    private init(steps: AsyncStream<Step>) {
        self.steps = steps
    }

    /// A receipt and what moves it on (the publisher's side).
    static func make() -> (PageReceipt, Resolver) {
        let (steps, continuation) = AsyncStream.makeStream(of: Step.self)
        return (PageReceipt(steps: steps), Resolver(continuation: continuation))
    }

    /// A receipt for a page whose fate is already known.
    ///
    /// - Parameter result: `.success` when the page is durable.
    public static func settled(_ result: Result<Void, StreamerError>) -> PageReceipt {
        let (receipt, resolver) = make()
        resolver.settle(result)
        return receipt
    }

    /// Runs `released` once the publisher holds none of the page's records (at the latest when the page is
    /// settled), then returns once the page is durable. Call it once. Cancelling the waiting task does not end the
    /// wait: a page handed over is followed until the publisher commits or fails it (at shutdown too).
    ///
    /// - Parameter released: what to do once the records are let go (give their bytes back to a budget).
    /// - Throws: ``StreamerError`` when the page was lost (see ``EventPublisher/publish(_:)``).
    public func wait(released: @escaping @Sendable () async -> Void = {}) async throws(StreamerError) {
        let steps = self.steps
        // An unstructured task: it does not inherit the caller's cancellation, which would end the stream early.
        let result = await Task {
            var isReleased = false
            var result = Result<Void, StreamerError>.failure(
                StreamerError(code: .kafka, reason: "the publisher stopped before the page was durable"))
            steps: for await step in steps {
                switch step {
                case .released:
                    if !isReleased { await released() }
                    isReleased = true
                case .settled(let outcome):
                    result = outcome
                    break steps
                }
            }
            if !isReleased { await released() }
            return result
        }.value
        try result.get()
    }

    /// Moves a ``PageReceipt`` on: ``released()`` (optional, once), then ``settle(_:)`` (once).
    struct Resolver: Sendable {
        let continuation: AsyncStream<Step>.Continuation

        /// The publisher let go of the page's records.
        func released() {
            continuation.yield(.released)
        }

        /// The page is durable (`.success`) or lost.
        func settle(_ result: Result<Void, StreamerError>) {
            continuation.yield(.settled(result))
            continuation.finish()
        }
    }
}
