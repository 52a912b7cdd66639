import AdminClient
import AdminSandbox
import Prometheus
import Testing

@testable import Streamer

/// Against a sandbox that serves rows whose keys collide (an API that split rows by a dimension the key lacks):
/// the series fails loudly, nothing goes out under a reused key, and the next clean run completes.
@Suite struct KeyCollisionEndToEndTests {
    @Test("a Claude Code day serving two rows under one key fails the backfill, publishes none of that page and counts it")
    func timeSeriesCollision() async throws {
        let world = try await EndToEnd.start(days: 3)
        defer { Task { await world.stop() } }
        await world.sandbox.inject(.collidingRows(count: 1, pathPrefix: "/v1/organizations/usage_report/claude_code"))
        var configuration = world.configuration()
        configuration.tables = [.claudeCodeUsage]
        let (registry, failure) = await ScopedMetrics.collect { () -> StreamerError? in
            do {
                _ = try await world.makeStreamer(configuration).backfill()
                return nil
            } catch let error as StreamerError {
                return error
            } catch {
                Issue.record("unexpected \(error)")
                return nil
            }
        }
        let error = try #require(failure, "a collision must not exit 0")
        #expect(error.code == .tablesFailed)
        #expect(error.reason.contains("claude_code_usage"))
        #expect(error.reason.contains("same key"))
        let samples = PrometheusSamples(String(decoding: registry.emitToBuffer(), as: UTF8.self))
        #expect(samples.value("streamer_key_collisions_total", ["table": "claude_code_usage"]) == 1)
        // Days are read concurrently: the other days are published, the colliding one is not, and no key went out
        // twice.
        let partial = try await world.read(.claudeCodeUsage)
        #expect(Set(partial.map(\.keyText)).count == partial.count, "no key went out twice")
        #expect(partial.count < (try await world.expectedRows(.claudeCodeUsage)).count, "the colliding day's page was held back")

        // The API behaves again: the next backfill publishes every row once.
        _ = try await world.makeStreamer(configuration).backfill()
        let records = try await world.read(.claudeCodeUsage)
        let expected = try await world.expectedRows(.claudeCodeUsage)
        #expect(records.count == expected.count)
        #expect(Set(records.map(\.keyText)) == Set(expected.map(\.keyText)))
    }

    @Test("a snapshot listing two rows under one key fails that table only; the others are published")
    func snapshotCollision() async throws {
        let world = try await EndToEnd.start(days: 1)
        defer { Task { await world.stop() } }
        await world.sandbox.inject(.collidingRows(count: 1, pathPrefix: "/v1/organizations/users"))
        var configuration = world.configuration()
        configuration.tables = [.users, .invites]
        do {
            _ = try await world.makeStreamer(configuration).backfill()
            Issue.record("the users snapshot should fail")
        } catch let error as StreamerError {
            #expect(error.code == .tablesFailed)
            #expect(error.reason.contains("users"))
            #expect(!error.reason.contains("invites"))
        }
        #expect(try await world.read(.users).isEmpty)
        #expect(try await world.read(.invites).count == world.sandboxConfiguration.invites)
    }
}
