import AdminClient
import AdminSandbox
import Kafka
import Synchronization
import Testing

@testable import Streamer

/// A broken or hostile API whose `next_page` repeats for ever: the series fails after two requests, publishes
/// nothing past its first page, and the other tables are published in full.
@Suite struct RunawayPaginationEndToEndTests {
    /// Forwards to the sandbox, but makes every Claude Code page say "more, at page `loop`" (and answers `loop`
    /// with the first page again).
    final class LoopingTransport: HTTPTransport {
        let inner: CurlTransport
        let loopingRequests = SharedCounter()
        /// Rows of the first page of every Claude Code series.
        let firstPageRows = SharedCounter()
        /// Claude Code series started (days read concurrently).
        let series = SharedCounter()

        init(configuration: AdminClientConfiguration) {
            inner = CurlTransport()
        }

        func get(_ request: HTTPRequest) async throws -> HTTPResponse {
            // The sandbox refuses a token it did not issue: ask it for the first page again.
            var forwarded = request
            forwarded.url = request.url.replacing("&page=loop", with: "")
            var response = try await inner.get(forwarded)
            guard request.url.contains("/usage_report/claude_code"), response.status == 200,
                case .object(var page) = try JSONParser.parse(response.body)
            else { return response }
            loopingRequests.value.add(1, ordering: .relaxed)
            if !request.url.contains("&page=") {  // the first page of a series (one Claude Code day)
                series.value.add(1, ordering: .relaxed)
                firstPageRows.value.add(page["data"]?.arrayValue?.count ?? 0, ordering: .relaxed)
            }
            page["has_more"] = true
            page["next_page"] = "loop"
            response.body = JSONWriter.encode(.object(page))
            return response
        }
    }

    @Test("a next_page that repeats for ever fails its series after two requests; the other tables are published")
    func loopingCursor() async throws {
        let world = try await EndToEnd.start(days: 2)
        defer { Task { await world.stop() } }
        var configuration = world.configuration()
        configuration.tables = [.claudeCodeUsage, .users]
        let transport = LoopingTransport(configuration: configuration.admin)
        let streamer = try await world.makeStreamer(configuration, transport: transport)
        do {
            _ = try await streamer.backfill()
            Issue.record("the backfill succeeded")
        } catch {
            #expect(error.code == .tablesFailed)
            #expect(error.reason.contains("claude_code_usage"))
            #expect(error.reason.contains("runaway_pagination"))
            #expect(!error.reason.contains("users:"), "users was published")
        }
        let series = transport.series.value.load(ordering: .relaxed)
        #expect(series >= 1)
        #expect(transport.loopingRequests.value.load(ordering: .relaxed) == 2 * series, "two requests per series")
        let published = try await world.read(.claudeCodeUsage)
        print("runaway pagination: \(transport.loopingRequests.value.load(ordering: .relaxed)) requests, "
            + "\(published.count) events published before the guard fired")
        #expect(published.count == transport.firstPageRows.value.load(ordering: .relaxed), "each series' first page, nothing more")
        #expect(try await world.read(.users).count == world.sandboxConfiguration.users)
    }
}
