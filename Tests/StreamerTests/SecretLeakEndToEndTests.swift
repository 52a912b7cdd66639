import AdminClient
import AdminSandbox
import Foundation
import Kafka
import Testing

@testable import Streamer

/// A full run with a realistic admin key and a SASL password: neither appears anywhere a person or a machine
/// can read — standard output, standard error (debug logs), `/metrics`, `/ready`, or any event or checkpoint.
@Suite(.serialized) struct SecretLeakEndToEndTests {
    @Test("no byte of the admin key or the SASL password leaks")
    func noSecretLeaks() async throws {
        let secretTail = "Zq8TvLw3Yh5Jm2Nc9Rb4Xk7Pd1Sf6Gu0Ae" + String(repeating: "x9", count: 20)
        let adminKey = "sk-ant-admin01-" + secretTail
        let saslPassword = "sasl-S3cr3t-Pa55word-" + String(repeating: "k", count: 12)
        let world = try await EndToEnd.start(days: 3) { $0.adminKey = adminKey }
        defer { Task { await world.stop() } }
        let port = try FreePort.pick()
        let settings = FileManager.default.temporaryDirectory.appendingPathComponent("kafka-\(UUID().uuidString).properties")
        try "# test\nsasl.password=\(saslPassword)\nsasl.username=streamer\n".write(to: settings, atomically: true, encoding: .utf8)
        let environment = ["ANTHROPIC_ADMIN_KEY": adminKey, "ANTHROPIC_BASE_URL": world.baseURL]
        let common = [
            "--bootstrap-servers", world.cluster.bootstrapServers, "--kafka-properties-file", settings.path,
            "--interval-start", "\(world.sandboxConfiguration.historyStart)", "--requests-per-second", "1000",
            "--log-level", "trace",
        ]

        let check = try StreamerProcess(arguments: ["check"] + common, environment: environment)
        #expect(try await check.waitForExit() == 0, "\(check.standardError.suffix(1500))")
        #expect(check.standardOutput.contains("sasl.password=<redacted>"))

        let run = try StreamerProcess(arguments: ["run", "--metrics-port", "\(port)"] + common, environment: environment)
        try await run.waitForLines(containing: "Cycle done", count: 9)
        let metrics = try await HTTPGet.text("http://127.0.0.1:\(port)/metrics")
        let ready = try await HTTPGet.text("http://127.0.0.1:\(port)/ready")
        run.signal(SIGTERM)
        let status = try await run.waitForExit(timeout: .seconds(30))
        #expect(status == 0, "\(run.standardError.suffix(3000))")
        #expect(metrics.contains("streamer_events_produced_total"))
        #expect(ready == "ready\n")

        var everything = check.standardOutput + check.standardError + run.standardOutput + run.standardError + metrics + ready
        for topic in AdminTable.allCases.map({ "anthropic.\($0.name)" }) + ["anthropic.checkpoints"] {
            for record in try await world.read(topic: topic, isolation: .readUncommitted) {
                everything += record.keyText + (record.valueText ?? "")
                for header in record.headers { everything += header.name + String(decoding: header.value ?? [], as: UTF8.self) }
            }
        }
        #expect(everything.count > 10_000, "the run produced output to search")
        #expect(!everything.contains(secretTail.prefix(12)), "admin key leaked")
        #expect(!everything.contains(saslPassword), "SASL password leaked")
    }
}

/// A TCP port nothing listens on, for a child process to bind.
///
/// Picked below the kernel's ephemeral range (`ip_local_port_range`): every server the test process opens on
/// port 0 (sandboxes, mock brokers, loopback servers of suites running in parallel) gets its port from that range,
/// so none can take this one between the pick and the child's bind. (A port-0 pick could be handed straight to
/// another suite's sandbox, which then answered the child's requests.)
enum FreePort {
    struct Exhausted: Error {}

    static func pick() throws -> Int {
        let range = try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)
        let ephemeralStart = range.flatMap { $0.split(whereSeparator: \.isWhitespace).first }.flatMap { Int($0) } ?? 32768
        let candidates = 10_000..<max(10_001, ephemeralStart)
        for _ in 0..<200 {
            let port = Int.random(in: candidates)
            if isFree(port) { return port }
        }
        throw Exhausted()
    }

    /// Whether `port` can be bound on every address now (the socket is closed again at once).
    private static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = INADDR_ANY
        address.sin_port = UInt16(port).bigEndian
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        } == 0
    }
}

/// A plain GET over URLSession, for the operations endpoint.
enum HTTPGet {
    static func text(_ url: String) async throws -> String {
        let (data, _) = try await URLSession.shared.data(from: URL(string: url)!)
        return String(decoding: data, as: UTF8.self)
    }
}

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
