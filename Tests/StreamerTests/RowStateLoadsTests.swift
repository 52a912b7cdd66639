import AdminClient
import Testing

@testable import Streamer

/// A fleet reads the state topic a few times at start, not once per organization: callers that ask while a read
/// is under way share the next read, and each keeps only its own scopes.
@Suite struct RowStateLoadsTests {
    let acme = StateScope(organizationID: "acme", table: .users)
    let beta = StateScope(organizationID: "beta", table: .users)
    let gamma = StateScope(organizationID: "gamma", table: .apiKeys)

    /// Holds the first read until opened; records every read's scopes; fails a read while `failing` is set.
    actor FakeTopic {
        private(set) var reads: [Set<StateScope>] = []
        private var gate: [CheckedContinuation<Void, Never>] = []
        private var isOpen = false
        var failing = false

        func read(_ topic: String, _ scopes: Set<StateScope>) async throws(StreamerError) -> RowStateStore {
            reads.append(scopes)
            if !isOpen { await withCheckedContinuation { gate.append($0) } }
            if failing { throw StreamerError(code: .kafka, reason: "the state topic is unreachable") }
            var states: [StateScope: RowState] = [:]
            for scope in scopes {
                states[scope] = RowState(scope: scope, topic: topic, fingerprints: ["{\"id\":\"\(scope.organizationID)\"}": 1])
            }
            return RowStateStore(topic: topic, states: states)
        }

        func open() {
            isOpen = true
            for waiter in gate { waiter.resume() }
            gate = []
        }

        func fail(_ failing: Bool) { self.failing = failing }
    }

    func loads(_ topic: FakeTopic) -> RowStateLoads {
        RowStateLoads { name, scopes throws(StreamerError) in try await topic.read(name, scopes) }
    }

    @Test("callers that ask during a read share the next one, and each gets only its own scopes")
    func coalesces() async throws {
        let topic = FakeTopic()
        let loads = loads(topic)
        async let first = loads.load(topic: "p.state", scopes: [acme])
        while await topic.reads.isEmpty { await Task.yield() }
        async let second = loads.load(topic: "p.state", scopes: [beta])
        async let third = loads.load(topic: "p.state", scopes: [gamma])
        while await loads.waiting(topic: "p.state") < 2 { await Task.yield() }
        await topic.open()

        let (a, b, c) = try await (first, second, third)
        #expect(await topic.reads == [[acme], [beta, gamma]])
        #expect(a.state(for: acme).count == 1)
        #expect(a.state(for: beta).count == 0)
        #expect(b.state(for: beta).fingerprint(forKey: #"{"id":"beta"}"#) == "0000000000000001")
        #expect(b.state(for: gamma).count == 0)
        #expect(c.state(for: gamma).count == 1)
        #expect(await loads.waiting(topic: "p.state") == 0)
    }

    @Test("a caller is served by a read that starts after it asks, never by one already under way")
    func freshRead() async throws {
        let topic = FakeTopic()
        let loads = loads(topic)
        async let first = loads.load(topic: "p.state", scopes: [acme])
        while await topic.reads.isEmpty { await Task.yield() }
        async let again = loads.load(topic: "p.state", scopes: [acme])
        while await loads.waiting(topic: "p.state") < 1 { await Task.yield() }
        await topic.open()
        _ = try await (first, again)
        #expect(await topic.reads == [[acme], [acme]])
    }

    @Test("a failed read fails only the callers it served; the next caller reads again")
    func failureIsNotSticky() async throws {
        let topic = FakeTopic()
        await topic.open()
        await topic.fail(true)
        let loads = loads(topic)
        await #expect(throws: StreamerError.self) { try await loads.load(topic: "p.state", scopes: [acme]) }
        await topic.fail(false)
        let store = try await loads.load(topic: "p.state", scopes: [acme])
        #expect(store.state(for: acme).count == 1)
        #expect(await topic.reads.count == 2)
    }
}
