import Synchronization
import Testing

@testable import AdminClient

/// A clock the test moves by hand.
actor ManualClock {
    var now: Duration = .zero
    private(set) var sleeps: [Duration] = []
    func advance(_ duration: Duration) { now += duration }
    func sleep(_ duration: Duration) { sleeps.append(duration) }
}

@Suite struct RequestRateLimiterTests {
    @Test("a full bucket lets `burst` requests through, then each waits its turn")
    func burstThenWait() async throws {
        let waits = WaitRecorder()
        let limiter = RequestRateLimiter(requestsPerSecond: 2, burst: 3, now: { .zero }, sleep: { await waits.record($0) })
        for _ in 0..<5 { try await limiter.acquire() }
        // The clock never moves: requests 4 and 5 reserve the next tokens, 0.5 s and 1 s away.
        #expect(await waits.values == [.milliseconds(500), .seconds(1)])
    }

    @Test("time refills the bucket up to burst")
    func refill() async throws {
        let clock = ManualClock()
        let now = SettableNow()
        let limiter = RequestRateLimiter(
            requestsPerSecond: 1, burst: 2, now: { now.read() }, sleep: { await clock.sleep($0) })
        try await limiter.acquire()
        try await limiter.acquire()
        now.set(.seconds(60))
        try await limiter.acquire()
        try await limiter.acquire()
        #expect(await clock.sleeps.isEmpty)
        try await limiter.acquire()
        #expect(await clock.sleeps == [.seconds(1)])
    }

    @Test("adaptive: starts at a quarter of the ceiling, doubles while answered, halves on a throttle, never passes the ceiling")
    func adapts() async throws {
        let limiter = RequestRateLimiter(
            requestsPerSecond: 40, burst: 100, adaptive: true, now: { .zero }, sleep: { _ in })
        #expect(await limiter.currentRate == 10)
        for _ in 0..<10 { await limiter.finished(.answered) }
        #expect(await limiter.currentRate == 20)
        for _ in 0..<20 { await limiter.finished(.answered) }
        #expect(await limiter.currentRate == 40)
        for _ in 0..<40 { await limiter.finished(.answered) }
        #expect(await limiter.currentRate == 40, "the ceiling holds")
        await limiter.finished(.throttled(retryAfter: nil))
        #expect(await limiter.currentRate == 20)
        for _ in 0..<20 { await limiter.finished(.answered) }
        #expect(await limiter.currentRate == 21, "after a throttle it grows by one request/second per second's worth")
    }

    @Test("adaptive: a retry-after pauses every later request of the key until it has passed")
    func retryAfterPauses() async throws {
        let waits = WaitRecorder()
        let limiter = RequestRateLimiter(
            requestsPerSecond: 40, burst: 100, adaptive: true, now: { .zero }, sleep: { await waits.record($0) })
        await limiter.finished(.throttled(retryAfter: .seconds(3)))
        try await limiter.acquire()
        #expect(await waits.values == [.seconds(3)])
    }

    @Test("no more than maxInFlight requests hold a slot; finishing one lets the next in")
    func inFlightCap() async throws {
        let limiter = RequestRateLimiter(requestsPerSecond: 1000, burst: 1000, maxInFlight: 2)
        try await limiter.acquire()
        try await limiter.acquire()
        let third = Task { try await limiter.acquire() }
        var turns = 0
        while await limiter.slots.waiting == 0, turns < 100_000 {
            turns += 1
            await Task.yield()
        }
        #expect(await limiter.slots.inUse == 2, "the third request waits for a slot")
        #expect(await limiter.slots.waiting == 1)
        await limiter.finished(.answered)
        try await third.value
        #expect(await limiter.slots.inUse == 2)
        await limiter.finished(.answered)
        await limiter.finished(.answered)
        #expect(await limiter.slots.inUse == 0)
    }

    @Test("a cancelled task does not take a token")
    func cancelled() async throws {
        let limiter = RequestRateLimiter(requestsPerSecond: 1, burst: 1)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await limiter.acquire()
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        try await limiter.acquire()  // the token is still there: no wait
    }
}

/// A settable clock reading for the limiter's synchronous `now`.
final class SettableNow: Sendable {
    private let value = Mutex<Duration>(.zero)
    func read() -> Duration { value.withLock { $0 } }
    func set(_ newValue: Duration) { value.withLock { $0 = newValue } }
}
