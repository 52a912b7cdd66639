import AdminClient
import AdminSandbox
import Foundation
import Kafka
import Testing

@testable import Streamer

/// The `streamer` executable as operators meet it: `check` predicts what `backfill` does, a signal stops a
/// backfill in order, `run` says when it starts, stops and is interrupted, `sandbox` prints lines a shell can
/// eval, and every refusal is one line with its documented exit code.
@Suite(.serialized) struct CommandLineEndToEndTests {
    func environment(_ world: EndToEnd, _ extra: [String: String] = [:]) -> [String: String] {
        ["ANTHROPIC_ADMIN_KEY": world.sandboxConfiguration.adminKey, "ANTHROPIC_BASE_URL": world.baseURL].merging(extra) { $1 }
    }

    func arguments(_ world: EndToEnd, _ command: String, _ extra: [String] = []) -> [String] {
        [
            command, "--bootstrap-servers", world.cluster.bootstrapServers, "--interval-start",
            "\(world.sandboxConfiguration.historyStart)", "--requests-per-second", "1000", "--broker-timeout", "10s",
        ] + extra
    }

    func organizationsFile(_ json: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("organizations-\(UUID().uuidString).json").path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("check reads the organizations file: an unset key variable fails check with the exit code it fails backfill with")
    func checkReadsOrganizations() async throws {
        let world = try await EndToEnd.start(days: 1)
        defer { Task { await world.stop() } }
        let path = try organizationsFile(#"{"organizations": [{"name": "acme", "admin_key_env": "ACME_UNSET_KEY"}]}"#)
        let check = try StreamerProcess(arguments: arguments(world, "check", ["--organizations", path]), environment: environment(world))
        let backfill = try StreamerProcess(arguments: arguments(world, "backfill", ["--organizations", path]), environment: environment(world))
        let checkStatus = try await check.waitForExit()
        let backfillStatus = try await backfill.waitForExit()
        #expect(checkStatus == 78, "\(check.standardOutput)\(check.standardError)")
        #expect(backfillStatus == 78, "\(backfill.standardError)")
        #expect(check.standardError.contains("ACME_UNSET_KEY is not set"))
    }

    @Test("check lists the topics the organization's run writes (with its prefix) and accepts its key")
    func checkListsPrefixedTopics() async throws {
        let world = try await EndToEnd.start(days: 1)
        defer { Task { await world.stop() } }
        let path = try organizationsFile(#"{"organizations": [{"name": "acme", "admin_key_env": "ACME_KEY", "tables": ["users"]}]}"#)
        let check = try StreamerProcess(
            arguments: arguments(world, "check", ["--organizations", path]),
            environment: environment(world, ["ACME_KEY": world.sandboxConfiguration.adminKey]))
        #expect(try await check.waitForExit() == 0, "\(check.standardOutput)\(check.standardError)")
        #expect(check.standardOutput.contains("organization acme: key from environment variable ACME_KEY accepted"))
        #expect(check.standardOutput.contains("topic anthropic.acme.users: "))
        #expect(!check.standardOutput.contains("topic anthropic.users"))
        #expect(check.standardOutput.contains("producer: ok (transactions initialised as anthropic-admin-streamer-"))
    }

    @Test("check builds the run's producer: a property that breaks exactly-once fails check as it fails backfill")
    func checkBuildsTheProducer() async throws {
        let world = try await EndToEnd.start(days: 1)
        defer { Task { await world.stop() } }
        let broken = ["--kafka-property", "enable.idempotence=false"]
        let check = try StreamerProcess(arguments: arguments(world, "check", broken), environment: environment(world))
        let checkStatus = try await check.waitForExit()
        let backfill = try StreamerProcess(arguments: arguments(world, "backfill", broken + ["--tables", "users"]), environment: environment(world))
        let backfillStatus = try await backfill.waitForExit()
        #expect(checkStatus != 0)
        #expect(checkStatus == backfillStatus, "check \(check.standardError) backfill \(backfill.standardError)")
    }

    @Test("SIGTERM stops a backfill in order: a summary, the resume hint, exit 143; running it again completes it")
    func backfillInterrupted() async throws {
        // One series at a time, each page waiting for its commit: long enough for the signal to land mid-way.
        let world = try await EndToEnd.start(days: 120) { $0.claudeCodeRowsPerDay = 40 }
        defer { Task { await world.stop() } }
        let extra = ["--tables", "claude_code_usage", "--log-level", "debug", "--no-progress", "--max-in-flight", "1"]
        let child = try StreamerProcess(arguments: arguments(world, "backfill", extra), environment: environment(world))
        try await child.waitForLines(containing: "Page published", count: 3)
        child.signal(SIGTERM)
        #expect(try await child.waitForExit(timeout: .seconds(60)) == 143, "\(child.standardError.suffix(2000))")
        #expect(child.standardOutput.contains("claude_code_usage: "), "the summary of what was done")
        #expect(child.standardError.contains("run the same command again to resume"))
        let rest = try StreamerProcess(arguments: arguments(world, "backfill", extra), environment: environment(world))
        #expect(try await rest.waitForExit() == 0, "\(rest.standardError.suffix(2000))")
        let records = try await world.read(.claudeCodeUsage)
        let expected = try await world.expectedRows(.claudeCodeUsage)
        #expect(Set(records.map(\.keyText)) == Set(expected.map(\.keyText)))
    }

    @Test("run logs a startup line and a shutdown line, and a SIGTERM mid-cycle says Cycle interrupted, not Cycle done")
    func runInterrupted() async throws {
        let world = try await EndToEnd.start(days: 120) { $0.claudeCodeRowsPerDay = 40 }
        defer { Task { await world.stop() } }
        let extra = ["--tables", "claude_code_usage", "--log-level", "debug", "--max-in-flight", "1"]
        let child = try StreamerProcess(arguments: arguments(world, "run", extra), environment: environment(world))
        try await child.waitForLines(containing: "Page published", count: 3)
        child.signal(SIGTERM)
        #expect(try await child.waitForExit(timeout: .seconds(60)) == 0, "\(child.standardError.suffix(2000))")
        let log = child.standardError
        #expect(log.contains("Starting") && log.contains("streamer.version=") && log.contains("streamer.delivery=exactly-once"))
        #expect(log.contains("Cycle interrupted"))
        #expect(!log.contains("Cycle done"))
        #expect(log.contains("Shutdown"))
    }

    @Test("refusals are one line with their exit code: a flag of another command 64, a value out of range 78")
    func refusals() async throws {
        let misplaced = try StreamerProcess(arguments: ["backfill", "--metrics-port", "9999"], environment: [:])
        #expect(try await misplaced.waitForExit() == 64)
        #expect(misplaced.standardError == "error: --metrics-port is not an option of `streamer backfill`: only `streamer run`, `streamer check` use it\n")
        let range = try StreamerProcess(arguments: ["run", "--settle-days", "99", "--log-format", "json"], environment: [:])
        #expect(try await range.waitForExit() == 78)
        let line = range.standardError
        #expect(line.hasPrefix("{") && line.contains(#""level":"critical""#) && line.contains("--settle-days: 99 is out of range 0…60"))
        #expect(line.split(separator: "\n").count == 1)
    }

    @Test("an unreachable Admin API is one line naming the problem, not a transport dump")
    func unreachableAdminAPI() async throws {
        let child = try StreamerProcess(
            arguments: ["backfill", "--dry-run", "--base-url", "http://127.0.0.1:1"],
            environment: ["ANTHROPIC_ADMIN_KEY": "sk-ant-admin01-" + String(repeating: "k", count: 30)])
        #expect(try await child.waitForExit(timeout: .seconds(120)) == 1)
        let last = child.standardError.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasPrefix("error: ") && last.contains("connection refused"))
        #expect(!child.standardError.contains("NSURLErrorDomain"))
    }

    @Test("sandbox prints export lines a shell can eval")
    func sandboxExports() async throws {
        let child = try StreamerProcess(arguments: ["sandbox", "--days", "1"], environment: [:])
        let deadline = ContinuousClock.now + .seconds(60)
        while !child.standardOutput.contains("STREAMER_INTERVAL_START"), ContinuousClock.now < deadline, child.isRunning {
            try await Task.sleep(for: .milliseconds(20))
        }
        child.signal(SIGTERM)
        _ = try await child.waitForExit()
        let lines = child.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        for line in lines {
            #expect(line.hasPrefix("export ") && line.contains("="), "\(line)")
        }
        #expect(lines.contains { $0.hasPrefix("export KAFKA_BOOTSTRAP_SERVERS=") })
    }
}
