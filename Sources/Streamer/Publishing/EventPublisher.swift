/// Where pollers' pages go: published atomically with their checkpoints (exactly-once) or with the checkpoint
/// written only after the events it covers are acknowledged (at-least-once).
public protocol EventPublisher: Sendable {
    /// Starts a new cycle of `source`: its next page has sequence `firstSequence`. Clears the refusal that
    /// follows a failed transaction (see ``publish(_:)``).
    ///
    /// - Parameters:
    ///   - source: `<organization_id>/<table>`.
    ///   - firstSequence: the sequence number of the cycle's first page.
    func beginCycle(source: String, firstSequence: UInt64) async

    /// Hands a page over; returns when it and its checkpoint are durable.
    ///
    /// - Throws: ``StreamerError`` when the page could not be made durable. Nothing of it counts as done, and
    ///   every later page of its source is refused until ``beginCycle(source:firstSequence:)``: their checkpoints
    ///   describe the lost page too.
    func publish(_ page: PublishedPage) async throws(StreamerError)

    /// Hands a page over and returns before it is durable: the receipt tells when the publisher has let go of the
    /// page's records and when the page is durable (or lost, as with ``publish(_:)``). Pages of one source must be
    /// submitted in sequence order. The default publishes the page and returns a settled receipt.
    func submit(_ page: PublishedPage) async -> PageReceipt
}

extension EventPublisher {
    public func submit(_ page: PublishedPage) async -> PageReceipt {
        do throws(StreamerError) {
            try await publish(page)
            return .settled(.success(()))
        } catch {
            return .settled(.failure(error))
        }
    }
}
