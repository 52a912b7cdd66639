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
