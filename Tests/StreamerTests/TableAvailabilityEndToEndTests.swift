import AdminClient
import AdminSandbox
import Foundation
import Kafka
import Prometheus
import Testing

@testable import Streamer

/// Tables an organization cannot use (their endpoint answers 403/404, as on Claude Enterprise or Claude Platform
/// on AWS) are switched off for it, with one warning and a metric; the other tables go on.
@Suite struct TableAvailabilityEndToEndTests {
    @Test("backfill: a 403 table is switched off, reported in the outcome and counted; the others are published; exit 0")
    func backfillSwitchesOff() async throws {
        let world = try await EndToEnd.start(days: 2)
        defer { Task { await world.stop() } }
        await world.sandbox.inject(.unavailable(count: .max, pathPrefix: "/v1/organizations/cost_report", status: 403))
        var configuration = world.configuration()
        configuration.tables = [.costReport, .users, .invites]
        let (registry, outcomes) = try await ScopedMetrics.collect {
            try await world.makeStreamer(configuration).backfill()
        }
        let reason = try #require(outcomes[.costReport]?.unavailableReason)
        #expect(reason.contains("cost_report is not available to this organization (HTTP 403"))
        #expect(outcomes[.costReport]?.rowsFetched == 0)
        #expect(try await world.read(.costReport).isEmpty)
        #expect(try await world.read(.users).count == world.sandboxConfiguration.users)
        #expect(try await world.read(.invites).count == world.sandboxConfiguration.invites)
        let samples = PrometheusSamples(String(decoding: registry.emitToBuffer(), as: UTF8.self))
        #expect(samples.value("streamer_tables_unavailable_total", ["table": "cost_report"]) == 1)
        #expect(samples.value("streamer_poll_failures", ["table": "cost_report"]) ?? 0 == 0)
        let costRequests = await world.sandbox.requests().filter { $0.path == "/v1/organizations/cost_report" }
        #expect(costRequests.count == 1, "a 403 is not retried")
    }

    @Test("streamer backfill exits 0 and its summary says which table is not available; the warning is logged once")
    func backfillCommandSummary() async throws {
        let world = try await EndToEnd.start(days: 1)
        defer { Task { await world.stop() } }
        await world.sandbox.inject(.unavailable(count: .max, pathPrefix: "/v1/organizations/cost_report", status: 403))
        let backfill = try StreamerProcess(
            arguments: [
                "backfill", "--bootstrap-servers", world.cluster.bootstrapServers, "--tables", "cost_report,users",
                "--interval-start", "\(world.sandboxConfiguration.historyStart)", "--no-progress", "--log-format", "json",
            ],
            environment: ["ANTHROPIC_ADMIN_KEY": world.sandboxConfiguration.adminKey, "ANTHROPIC_BASE_URL": world.baseURL])
        #expect(try await backfill.waitForExit() == 0, "\(backfill.standardError.suffix(1500))")
        #expect(backfill.standardOutput.contains("cost_report: 0 rows fetched, 0 events published (NOT AVAILABLE to this organization: switched off, nothing read)"))
        #expect(backfill.standardOutput.contains("users: \(world.sandboxConfiguration.users) rows fetched"))
        #expect(backfill.standardError.split(separator: "\n").filter { $0.contains("Table not available to this organization") }.count == 1)
    }

    @Test("a 404 on one workspace's member listing is not a switch-off (that workspace may be gone)")
    func perWorkspaceNotFoundIsAFailure() {
        let gone = AdminClientError(code: .notFound, reason: "x", endpoint: "/v1/organizations/workspaces/wrkspc_1/members", status: 404)
        let missing = AdminClientError(code: .notFound, reason: "x", endpoint: "/v1/organizations/rate_limits", status: 404)
        #expect(StreamerError.admin(gone, table: .workspaceMembers).code == .adminAPI)
        #expect(StreamerError.admin(missing, table: .usageReport).code == .tableUnavailable)
        // Without a table (the key check on /v1/organizations/me) a 403 stays an authentication failure.
        let forbidden = AdminClientError(code: .forbidden, reason: "x", endpoint: "/v1/organizations/me", status: 403)
        #expect(StreamerError.admin(forbidden).code == .authentication)
    }

    @Test("check --organizations says, for each organization, which of its tables it can read")
    func checkEachOrganization() async throws {
        let world = try await EndToEnd.start(days: 1)
        defer { Task { await world.stop() } }
        await world.sandbox.inject(.unavailable(count: .max, pathPrefix: "/v1/organizations/rate_limits", status: 403))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("orgs-\(UUID().uuidString).json")
        try #"""
            {"organizations": [
              {"name": "acme", "admin_key_env": "ACME_KEY", "tables": ["users", "rate_limits"]},
              {"name": "beta", "admin_key_env": "BETA_KEY", "tables": ["invites"]}
            ]}
            """#.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let key = world.sandboxConfiguration.adminKey
        let check = try StreamerProcess(
            arguments: ["check", "--dry-run", "--organizations", file.path],
            environment: ["ACME_KEY": key, "BETA_KEY": key, "ANTHROPIC_BASE_URL": world.baseURL])
        #expect(try await check.waitForExit() == 0, "\(check.standardError.suffix(1500))")
        let lines = check.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.contains("  acme table users: readable"))
        #expect(lines.contains("  acme table rate_limits: not available to this organization (HTTP 403)"))
        #expect(lines.contains("  beta table invites: readable"))
        #expect(!check.standardOutput.contains(key))
    }

    @Test("run: the unavailable table is switched off with one warning; every other table keeps cycling")
    func runSwitchesOff() async throws {
        let world = try await EndToEnd.start(days: 2)
        defer { Task { await world.stop() } }
        await world.sandbox.inject(.unavailable(count: .max, pathPrefix: "/v1/organizations/usage_report/messages", status: 404))
        let environment = ["ANTHROPIC_ADMIN_KEY": world.sandboxConfiguration.adminKey, "ANTHROPIC_BASE_URL": world.baseURL]
        let common = [
            "--bootstrap-servers", world.cluster.bootstrapServers, "--interval-start", "\(world.sandboxConfiguration.historyStart)",
            "--requests-per-second", "1000", "--log-format", "json",
        ]
        let check = try StreamerProcess(arguments: ["check", "--dry-run"] + common, environment: environment)
        #expect(try await check.waitForExit() == 0, "\(check.standardError.suffix(1500))")
        #expect(check.standardOutput.contains("table usage_report: not available to this organization (HTTP 404)"))
        #expect(check.standardOutput.contains("table users: readable"))

        let run = try StreamerProcess(arguments: ["run"] + common, environment: environment)
        try await run.waitForLines(containing: "Cycle done", count: AdminTable.allCases.count - 1)
        try await run.waitForLines(containing: "switched off", count: 1)
        run.signal(SIGTERM)
        #expect(try await run.waitForExit(timeout: .seconds(30)) == 0, "\(run.standardError.suffix(2000))")
        let log = run.standardError
        #expect(log.split(separator: "\n").filter { $0.contains("Table not available to this organization") }.count == 1, "one warning")
        #expect(!log.contains("Cycle failed"), "an unavailable table is not a failing one")
        #expect(try await world.read(.usageReport).isEmpty)
        #expect(try await world.read(.users).count == world.sandboxConfiguration.users)
    }
}
