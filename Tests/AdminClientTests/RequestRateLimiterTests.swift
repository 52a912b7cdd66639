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

    @Test("adaptive: starts at an eighth of the ceiling, doubles while answered, never passes the ceiling")
    func slowStart() async throws {
        let limiter = RequestRateLimiter(
            requestsPerSecond: 40, burst: 100, adaptive: true, now: { .zero }, sleep: { _ in })
        #expect(await limiter.currentRate == 5)
        for _ in 0..<5 { await limiter.finished(.answered) }
        #expect(await limiter.currentRate == 10)
        for _ in 0..<10 { await limiter.finished(.answered) }
        #expect(await limiter.currentRate == 20)
        for _ in 0..<20 { await limiter.finished(.answered) }
        #expect(await limiter.currentRate == 40)
        for _ in 0..<40 { await limiter.finished(.answered) }
        #expect(await limiter.currentRate == 40, "the ceiling holds")
    }

    @Test("adaptive: a throttle takes the rate to 0.7x once per second; it recovers fast to 90 % of the throttled rate, then probes slowly")
    func throttleAndRecovery() async throws {
        let now = SettableNow()
        let limiter = RequestRateLimiter(
            requestsPerSecond: 40, burst: 100, adaptive: true, now: { now.read() }, sleep: { _ in })
        for _ in 0..<5 { await limiter.finished(.answered) }
        for _ in 0..<10 { await limiter.finished(.answered) }  // 20 requests/s
        await limiter.finished(.throttled(retryAfter: nil))
        #expect(abs(await limiter.currentRate - 14) < 0.001)
        await limiter.finished(.throttled(retryAfter: nil))
        #expect(abs(await limiter.currentRate - 14) < 0.001, "the in-flight burst's other 429s count once")
        now.set(.seconds(2))
        for _ in 0..<14 { await limiter.finished(.answered) }
        #expect(abs(await limiter.currentRate - 16) < 0.001, "fast recovery: 10 % of 20 per second's worth…")
        for _ in 0..<16 { await limiter.finished(.answered) }
        #expect(abs(await limiter.currentRate - 18) < 0.001, "…up to 90 % of 20")
        for _ in 0..<18 { await limiter.finished(.answered) }
        #expect(abs(await limiter.currentRate - 18.2) < 0.001, "then 1 % of 20 per second's worth")
    }

    @Test("adaptive: a retry-after of 2 s or more pauses every later request of the key until it has passed")
    func retryAfterPauses() async throws {
        let waits = WaitRecorder()
        let limiter = RequestRateLimiter(
            requestsPerSecond: 40, burst: 100, adaptive: true, now: { .zero }, sleep: { await waits.record($0) })
        await limiter.finished(.throttled(retryAfter: .seconds(1)))
        try await limiter.acquire()
        #expect(await waits.values.isEmpty, "a short retry-after delays only its own request")
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

    @Test("adaptive: the bucket holds at most one second's worth at the current rate, whatever the burst setting")
    func adaptiveBucket() async throws {
        let waits = WaitRecorder()
        let limiter = RequestRateLimiter(
            requestsPerSecond: 40, burst: 100, adaptive: true, now: { .zero }, sleep: { await waits.record($0) })
        for _ in 0..<6 { try await limiter.acquire(); await limiter.finished(.answered) }
        #expect(await waits.values.count == 1, "5 go at once at 5 requests/s, the 6th waits")
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
