import Synchronization
import Testing

@testable import Streamer

/// `/ready` never turns into one broker request per probe.
@Suite struct HealthStateTests {
    @Test("twenty readiness answers within the check interval cost one broker check")
    func brokerCheckCached() async {
        let health = HealthState()
        let checks = SharedCounter()
        for _ in 0..<20 {
            let problem = await health.brokerProblem(maxAge: .seconds(3600)) {
                checks.value.add(1, ordering: .relaxed)
                return "brokers unreachable (test)"
            }
            #expect(problem == "brokers unreachable (test)")
        }
        #expect(checks.value.load(ordering: .relaxed) == 1)
    }

    @Test("a background refresh replaces the answer; concurrent callers share one check in flight")
    func refreshAndSingleFlight() async {
        let health = HealthState()
        let checks = SharedCounter()
        let (gate, opener) = AsyncStream<Void>.makeStream()
        let slowCheck: @Sendable () async -> String? = {
            checks.value.add(1, ordering: .relaxed)
            for await _ in gate { break }
            return nil
        }
        await withTaskGroup(of: String?.self) { group in
            group.addTask { await health.refreshBrokers(check: slowCheck) }
            group.addTask { await health.brokerProblem(maxAge: .zero, check: slowCheck) }
            group.addTask { await health.refreshBrokers(check: slowCheck) }
            opener.yield()
            for await problem in group { #expect(problem == nil) }
        }
        #expect(checks.value.load(ordering: .relaxed) >= 1)
        #expect(await health.brokerProblem(maxAge: .seconds(3600)) { "never called" } == nil)
        await health.refreshBrokers { "brokers unreachable (down)" }
        #expect(await health.brokerProblem(maxAge: .seconds(3600)) { nil } == "brokers unreachable (down)")
    }
}
