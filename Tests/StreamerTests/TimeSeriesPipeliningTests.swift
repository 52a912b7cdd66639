import AdminClient
import AdminSandbox
import Kafka
import Testing

@testable import Streamer

/// A time table's cycle pipelines: a request series frees its slot once its pages are staged, so later series are
/// fetched and staged while earlier pages wait to be durable; each page is made durable (its checkpoint, its
/// row-state changes) only when the publisher says so.
@Suite(.serialized) struct TimeSeriesPipeliningTests {
    /// A streamer of claude_code_usage alone, one request series at a time, publishing to `publisher`.
    func oneSeriesAtATime(
        _ world: EndToEnd, _ publisher: HoldingPublisher
    ) async throws -> (Streamer, StreamerConfiguration) {
        var configuration = world.configuration()
        configuration.tables = [.claudeCodeUsage]
        configuration.maxInFlight = 1
        let streamer = try await Streamer.make(
            configuration: configuration, apiKey: try world.apiKey, publisher: publisher, logger: world.logger)
        return (streamer, configuration)
    }

    @Test(
        "with one series at a time, every day's page is handed over before any is durable, and all count once durable",
        .timeLimit(.minutes(1)))
    func laterSeriesStageWhileEarlierPagesWait() async throws {
        let world = try await EndToEnd.start(days: 4)
        defer { Task { await world.stop() } }
        let publisher = HoldingPublisher()
        let (streamer, configuration) = try await oneSeriesAtATime(world, publisher)
        let outcomes = try await withThrowingTaskGroup(of: [AdminTable: CycleOutcome]?.self) { group in
            group.addTask { try await streamer.backfill() }
            group.addTask {
                // Four one-page series, one at a time: all four pages are handed over while none is durable.
                await publisher.waitForPages(4)
                await publisher.release()
                return nil
            }
            var outcomes: [AdminTable: CycleOutcome] = [:]
            for try await result in group { if let result { outcomes = result } }
            return outcomes
        }
        let expected = try await world.expectedRows(.claudeCodeUsage)
        #expect(await publisher.handedOver.map(\.sequence).sorted() == [0, 1, 2, 3])
        #expect(outcomes[.claudeCodeUsage]?.pages == 4)
        #expect(outcomes[.claudeCodeUsage]?.rowsFetched == expected.count)
        let events = await publisher.durableEvents(topic: configuration.topic(for: .claudeCodeUsage))
        #expect(events.count == expected.count, "one event per row")
        #expect(Set(events) == Set(expected.map(\.keyText)), "every row")
    }

    @Test(
        "a page lost while later series are staged fails its source's later pages; the retry resumes from the durable checkpoint",
        .timeLimit(.minutes(1)))
    func lostPageRetriesFromDurableCheckpoint() async throws {
        let world = try await EndToEnd.start(days: 4)
        defer { Task { await world.stop() } }
        let publisher = HoldingPublisher(failing: [1])
        let (streamer, configuration) = try await oneSeriesAtATime(world, publisher)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { _ = try await streamer.backfill() }
            group.addTask {
                await publisher.waitForPages(2)  // page 1 (to be lost) is staged before page 0 is durable
                await publisher.release()
            }
            try await group.waitForAll()
        }
        let expected = try await world.expectedRows(.claudeCodeUsage)
        let durable = await publisher.durablePages.map(\.sequence)
        let cycles = await publisher.cycles
        // Page 0 was durable before the loss; page 1 and every later page of that cycle were refused; the retry
        // began a new cycle from page 0's checkpoint and published the other three days once.
        #expect(durable.first == 0)
        #expect(!durable.contains(1))
        #expect(cycles.count == 2, "one retry")
        #expect(durable.dropFirst().allSatisfy { $0 >= cycles.last ?? 0 }, "nothing of the failed cycle after the loss")
        let events = await publisher.durableEvents(topic: configuration.topic(for: .claudeCodeUsage))
        #expect(events.count == expected.count, "each row durable exactly once")
        #expect(Set(events) == Set(expected.map(\.keyText)))
    }
}

/// A publisher that holds every page until released and makes each source's pages durable in sequence order, as
/// the transaction coordinator does: a page listed in `failing` is lost, and so is every later page of its source,
/// until the source begins a new cycle.
actor HoldingPublisher: EventPublisher {
    private(set) var handedOver: [PublishedPage] = []
    private(set) var durablePages: [PublishedPage] = []
    /// The first sequence of each cycle begun, in order.
    private(set) var cycles: [UInt64] = []
    private var failing: Set<UInt64>
    private var poisoned: Set<String> = []
    private var next: [String: UInt64] = [:]
    private var pending: [String: [UInt64: (page: PublishedPage, receipt: PageReceipt.Resolver)]] = [:]
    private var held = true
    private var pageWaiters: [(count: Int, waiter: CheckedContinuation<Void, Never>)] = []

    init(failing: Set<UInt64> = []) { self.failing = failing }

    func beginCycle(source: String, firstSequence: UInt64) async {
        cycles.append(firstSequence)
        poisoned.remove(source)
        next[source] = firstSequence
        for (_, stale) in pending.removeValue(forKey: source) ?? [:] { stale.receipt.settle(.failure(Self.lost(stale.page))) }
    }

    func publish(_ page: PublishedPage) async throws(StreamerError) {
        try await submit(page).wait()
    }

    func submit(_ page: PublishedPage) async -> PageReceipt {
        handedOver.append(page)
        if next[page.source] == nil { next[page.source] = page.sequence }
        for (index, entry) in pageWaiters.enumerated().reversed() where handedOver.count >= entry.count {
            pageWaiters.remove(at: index)
            entry.waiter.resume()
        }
        let (receipt, resolver) = PageReceipt.make()
        pending[page.source, default: [:]][page.sequence] = (page, resolver)
        resolve()
        return receipt
    }

    private static func lost(_ page: PublishedPage) -> StreamerError {
        StreamerError(code: .kafka, reason: "injected: page \(page.sequence) lost with an aborted transaction")
    }

    /// Lets every held page (and later ones) through.
    func release() {
        held = false
        resolve()
    }

    /// Returns once `count` pages were handed over.
    func waitForPages(_ count: Int) async {
        if handedOver.count >= count { return }
        await withCheckedContinuation { pageWaiters.append((count, $0)) }
    }

    /// The keys of the durable records of `topic`, as text.
    func durableEvents(topic: String) -> [String] {
        durablePages.flatMap { $0.records.filter { $0.topic == topic }.map { String(decoding: $0.key ?? [], as: UTF8.self) } }
    }

    /// Settles each source's pages in sequence order while the next one is here.
    private func resolve() {
        guard !held else { return }
        for source in pending.keys {
            while let sequence = next[source], let entry = pending[source]?.removeValue(forKey: sequence) {
                next[source] = sequence + 1
                if poisoned.contains(source) || failing.remove(sequence) != nil {
                    poisoned.insert(source)
                    entry.receipt.settle(.failure(Self.lost(entry.page)))
                } else {
                    durablePages.append(entry.page)
                    entry.receipt.settle(.success(()))
                }
            }
        }
    }
}
