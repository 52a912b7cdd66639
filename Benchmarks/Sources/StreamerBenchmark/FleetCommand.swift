import AdminClient
import AdminSandbox
import ArgumentParser
import Foundation
import Kafka
import Logging
import Streamer

/// `fleet`: many organizations in one streamer process. A world child serves N small sandbox organizations and a
/// mock cluster; a streamer child backfills every organization through one ``StreamerFleet`` (one producer) and
/// reports its threads and resident memory once the first snapshot of every table is published.
struct FleetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet", abstract: "N organizations in one process: threads and memory after the first snapshot.")

    @Option(help: "Comma-separated organization counts.")
    var organizations = "200,1000"
    @Option(help: "Where to write the report (besides standard output).")
    var output = "results/fleet.txt"

    func run() async throws {
        var lines = [
            "fleet: N sandbox organizations (5 users, 2 workspaces, 2 days of history each, every table) → one `streamer` "
                + "process (StreamerFleet backfill, shared topic layout, one producer) → mock cluster",
            "\(Date()); \(ProcessInfo.processInfo.activeProcessorCount) cores",
            "",
            "RSS released = after FreedMemory.release(), which `streamer run` does every 10 s (malloc_trim: the heap's free pages)",
            "",
            "organizations  events   seconds  threads  RSS MiB  peak RSS MiB  heap in use MiB  RSS released MiB",
        ]
        for text in organizations.split(separator: ",") {
            guard let count = Int(text), count > 0 else { throw ValidationError("--organizations: '\(text)'") }
            var world = try ChildProcess(arguments: ["_fleet-world", "--organizations", "\(count)"])
            guard let ready = world.readLine(), ready.hasPrefix("READY ") else {
                throw BenchmarkFailure("the fleet world did not start")
            }
            let parts = ready.split(separator: " ").map(String.init)
            var streamer = try ChildProcess(arguments: ["_fleet-streamer", "--bootstrap", parts[1], "--urls", parts[2]])
            let result = try streamer.result(FleetResult.self)
            try world.closeInput()
            _ = try world.result(ResourceUsage.self)
            lines.append(
                String(
                    format: "%13d  %6d  %8.1f  %7d  %7.1f  %12.1f  %15.1f  %16.1f", count, result.events,
                    result.seconds, result.threads, Double(result.residentBytes) / 1_048_576,
                    Double(result.peakResidentBytes) / 1_048_576, Double(result.heapInUseBytes) / 1_048_576,
                    Double(result.releasedResidentBytes) / 1_048_576))
        }
        lines.append("")
        lines.append("target: 1,000 organizations in one `streamer run`: ≤ 64 threads and ≤ 256 MiB resident after the first snapshot")
        let text = lines.joined(separator: "\n") + "\n"
        print(text, terminator: "")
        try text.write(toFile: output, atomically: true, encoding: .utf8)
    }
}

struct FleetResult: Codable {
    var events = 0
    var seconds = 0.0
    var threads = 0
    var residentBytes = 0
    var peakResidentBytes = 0
    /// malloc's bytes in use at the end (see ``ResourceUsage/heapInUseBytes()``): what is alive, against RSS.
    var heapInUseBytes = 0
    /// VmRSS after ``FreedMemory/release()``, as `streamer run` does it periodically.
    var releasedResidentBytes = 0
}

/// The organizations' sandbox configuration: small, distinct ids and keys.
func fleetSandbox(_ index: Int) -> SandboxConfiguration {
    var configuration = SandboxConfiguration()
    configuration.organizationID = String(format: "00000000-0000-4000-8000-%012d", index)
    configuration.adminKey = String(format: "sk-ant-admin01-fleet-%08d-", index) + String(repeating: "k", count: 24)
    configuration.users = 5
    configuration.workspaces = 2
    configuration.apiKeys = 2
    configuration.invites = 1
    configuration.claudeCodeRowsPerDay = 3
    configuration.usageResultsPerBucket = 2
    configuration.costResultsPerBucket = 2
    configuration.historyStart = configuration.today.adding(days: -1)
    return configuration
}

/// `_fleet-world`: N sandboxes and a mock cluster; prints `READY <bootstrap> <url,url,…>`.
struct FleetWorldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "_fleet-world", shouldDisplay: false)
    @Option var organizations: Int

    func run() async throws {
        var sandboxes: [SandboxAdminAPI] = []
        var urls: [String] = []
        for index in 0..<organizations {
            let sandbox = SandboxAdminAPI(configuration: fleetSandbox(index))
            urls.append(try await sandbox.start())
            sandboxes.append(sandbox)
        }
        let cluster = try KafkaMockCluster(brokers: 3)
        var shared = StreamerConfiguration()
        shared.topicLayout = .shared
        for table in AdminTable.allCases { try cluster.createTopic(shared.topic(for: table), partitions: 16) }
        try cluster.createTopic(shared.effectiveCheckpointTopic, partitions: 16)
        FileHandle.standardOutput.write(Data("READY \(cluster.bootstrapServers) \(urls.joined(separator: ","))\n".utf8))
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread {
                _ = FileHandle.standardInput.readDataToEndOfFile()
                continuation.resume()
            }.start()
        }
        for sandbox in sandboxes { try? await sandbox.stop() }
        try report(ResourceUsage.current())
        withExtendedLifetime(cluster) {}
    }
}

/// `_fleet-streamer`: one fleet over every organization; reports its threads and memory after the backfill.
struct FleetStreamerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "_fleet-streamer", shouldDisplay: false)
    @Option var bootstrap: String
    @Option var urls: String

    func run() async throws {
        let bases = urls.split(separator: ",").map(String.init)
        var routes: [String: String] = [:]
        var environment: [String: String] = [:]
        var specs: [OrganizationSpec] = []
        for (index, base) in bases.enumerated() {
            let sandbox = fleetSandbox(index)
            routes[sandbox.adminKey] = base
            environment["ORG_\(index)_KEY"] = sandbox.adminKey
            specs.append(OrganizationSpec(name: "org\(index)", key: .environment("ORG_\(index)_KEY")))
        }
        var shared = StreamerConfiguration()
        shared.admin.baseURL = "http://sandbox.invalid"
        shared.admin.allowInsecureHTTP = true  // the transport routes it to the sandboxes on loopback
        shared.kafka = KafkaConfiguration(bootstrapServers: bootstrap)
        shared.topicLayout = .shared
        shared.intervalStart = CalendarDay(containing: Date()).adding(days: -1)
        let transport = KeyRoutingTransport(routes: routes, base: CurlTransport())
        let fleet = try StreamerFleet(
            shared: shared, organizations: specs, environment: environment, transport: transport, logger: childLogger())
        let clock = Stopwatch()
        let results = await fleet.backfill()
        var result = FleetResult()
        result.seconds = clock.seconds
        for case .success(let outcomes) in results.values {
            result.events += outcomes.values.reduce(0) { $0 + $1.eventsPublished }
        }
        let failures = results.compactMap { name, result -> String? in
            if case .failure(let error) = result { return "\(name): \(error.reason)" } else { return nil }
        }
        if let first = failures.first {
            FileHandle.standardError.write(Data("\(failures.count) organizations failed, e.g. \(first)\n".utf8))
        }
        result.threads = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? 0
        result.residentBytes = Self.statusKilobytes("VmRSS") * 1024
        result.peakResidentBytes = ResourceUsage.current().peakRSSBytes
        result.heapInUseBytes = ResourceUsage.heapInUseBytes()
        FreedMemory.release()
        result.releasedResidentBytes = Self.statusKilobytes("VmRSS") * 1024
        try report(result)
    }

    static func statusKilobytes(_ field: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("\(field):") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
        }
        return 0
    }
}

/// Sends each request to the sandbox whose admin key it carries.
final class KeyRoutingTransport: HTTPTransport {
    private let routes: [String: String]
    private let base: CurlTransport

    init(routes: [String: String], base: CurlTransport) {
        self.routes = routes
        self.base = base
    }

    func get(_ request: HTTPRequest) async throws -> HTTPResponse {
        let key = request.headers.first { $0.name.lowercased() == "x-api-key" }?.value ?? ""
        var routed = request
        routed.url = request.url.replacingOccurrences(of: "http://sandbox.invalid", with: routes[key] ?? "http://127.0.0.1:1")
        return try await base.get(routed)
    }
}
