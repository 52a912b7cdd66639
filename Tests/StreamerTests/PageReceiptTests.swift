import Testing

@testable import Streamer

/// What a submitted page's receipt tells its waiter: records let go, then durable or lost.
@Suite struct PageReceiptTests {
    @Test("the records are reported let go before the page is durable, and at the latest when it is lost")
    func releasedThenSettled() async throws {
        let (durable, resolveDurable) = PageReceipt.make()
        let (lost, resolveLost) = PageReceipt.make()
        let (events, record) = AsyncStream.makeStream(of: String.self)
        resolveDurable.released()
        resolveDurable.settle(.success(()))
        resolveLost.settle(.failure(StreamerError(code: .kafka, reason: "aborted")))
        try await durable.wait { record.yield("released") }
        record.yield("durable")
        await #expect(throws: StreamerError.self) { try await lost.wait { record.yield("released") } }
        record.yield("lost")
        record.finish()
        var seen: [String] = []
        for await event in events { seen.append(event) }
        #expect(seen == ["released", "durable", "released", "lost"])
    }

    @Test("cancelling the waiting task does not end the wait: it returns the page's fate once the publisher settles it")
    func waitOutlivesCancellation() async {
        let (receipt, resolver) = PageReceipt.make()
        let waiting = Task { () -> Bool in (try? await receipt.wait()) != nil }
        waiting.cancel()
        resolver.released()
        resolver.settle(.success(()))
        #expect(await waiting.value, "durable, not 'the publisher stopped'")
    }
}
