import AdminClient
import ArgumentParser
import Foundation
import Streamer

/// `streamer-benchmark`: end-to-end backfill throughput against the raw librdkafka and `kcat -P` ceilings.
@main
struct StreamerBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "streamer-benchmark",
        abstract: "Sandbox Admin API → streamer backfill → mock cluster, against the librdkafka and kcat ceilings.",
        subcommands: [MainCommand.self, MemoryCommand.self, WANCommand.self, FleetCommand.self, FleetWorldCommand.self, FleetStreamerCommand.self, HotCommand.self, WorldCommand.self, StreamerCommand.self, CeilingCommand.self],
        defaultSubcommand: MainCommand.self)
}

struct MainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run")

    @Option(help: "Comma-separated row counts (both tables together).")
    var rows = "10000,100000,1000000"
    @Option(help: "Comma-separated delivery modes.")
    var modes = "exactly-once,at-least-once"
    @Flag(help: "10k and 100k rows only.")
    var quick = false
    @Flag(help: "Skip the kcat ceiling.")
    var noKcat = false
    @Option(help: "Where to write the report (besides standard output).")
    var output = "results/latest.txt"
    @Option(help: "Experiments: the streamer runs with this `--max-buffered-mib` instead of the default.")
    var maxBufferedMib: Int?

    func run() async throws {
        let counts = quick ? [10_000, 100_000] : try rows.split(separator: ",").map { text in
            guard let count = Int(text.replacingOccurrences(of: "_", with: "")), count > 0 else {
                throw ValidationError("--rows: '\(text)' is not a positive integer")
            }
            return count
        }
        let deliveryModes = try modes.split(separator: ",").map { text in
            guard let mode = StreamerConfiguration.DeliveryMode(rawValue: String(text)) else {
                throw ValidationError("--modes: '\(text)' is not exactly-once or at-least-once")
            }
            return mode
        }
        let kcat = noKcat ? nil : Self.findExecutable("kcat")
        if !noKcat, kcat == nil {
            FileHandle.standardError.write(Data("kcat not found (apt-get install kcat): skipping its ceiling\n".utf8))
        }
        let today = CalendarDay(containing: Date())
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("streamer-benchmark-\(getpid())").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }

        var report = Report(today: today)
        report.pageBudgetMiB = maxBufferedMib ?? Scenario.pageBudgetMiB
        let total = Stopwatch()
        for count in counts {
            let scenario = Scenario(targetRows: count, today: today)
            let common = ["--rows", String(count), "--today", today.description]
            progress("\(scenario.rows) rows (\(scenario.days) days): capturing the events")
            let capture = try runWithWorld(common) { world in
                try child(["_streamer"] + common + ["--mode", "at-least-once", "--capture", scratch] + world.urls)
            }
            report.add(rows: scenario.rows, mode: nil, path: .capture, capture.run, payloadBytes: capture.run.payloadBytes)
            for mode in deliveryModes {
                progress("\(scenario.rows) rows: streamer \(mode.rawValue)")
                let run = try runWithWorld(common) { world in
                    let budget = maxBufferedMib.map { ["--max-buffered-mib", String($0)] } ?? []
                    return try child(["_streamer"] + common + ["--mode", mode.rawValue] + budget + world.urls)
                }
                guard run.run.events == capture.run.events else {
                    throw BenchmarkFailure("the \(mode.rawValue) run published \(run.run.events) events, expected \(capture.run.events)")
                }
                report.add(rows: scenario.rows, mode: mode, path: .streamer, run.run, payloadBytes: capture.run.payloadBytes)
                progress("\(scenario.rows) rows: librdkafka ceiling \(mode.rawValue)")
                let perTransaction = run.run.transactions > 0 ? max(1, run.run.pages / run.run.transactions) : 1
                let ceiling = try runWithWorld(common) { world in
                    try child(
                        ["_ceiling"] + common + [
                            "--mode", mode.rawValue, "--bootstrap", world.bootstrap, "--pages", "\(scratch)/pages.bin",
                            "--pages-per-transaction", "\(perTransaction)",
                        ])
                }
                report.add(rows: scenario.rows, mode: mode, path: .librdkafka, ceiling.run, payloadBytes: capture.run.payloadBytes)
            }
            progress("\(scenario.rows) rows: plain Python pipeline")
            let python = try runWithWorld(common) { world in
                try runPythonPipeline(script: Self.pythonScript, world: world, scenario: scenario) ?? RunResult()
            }
            if python.run.events > 0 {
                report.add(rows: scenario.rows, mode: nil, path: .python, python.run, payloadBytes: capture.run.payloadBytes)
            } else {
                progress("no python3 imports confluent-kafka (apt-get install python3-confluent-kafka, or pip install confluent-kafka): skipping the Python pipeline")
            }
            if let kcat {
                progress("\(scenario.rows) rows: kcat -P ceiling")
                let run = try runWithWorld(common) { world in
                    try Self.runKcat(kcat, bootstrap: world.bootstrap, lines: "\(scratch)/lines.tsv", events: capture.run.events)
                }
                report.add(rows: scenario.rows, mode: nil, path: .kcat, run.run, payloadBytes: capture.run.payloadBytes)
            }
        }
        let text = report.render(totalSeconds: total.seconds)
        print(text)
        let url = URL(fileURLWithPath: output)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        progress("written to \(output)")
    }

    /// The Python pipeline, beside this package's manifest.
    static var pythonScript: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("python/pipeline.py").path
    }

    private func progress(_ text: String) {
        FileHandle.standardError.write(Data("[streamer-benchmark] \(text)\n".utf8))
    }

    /// The addresses a world child serves on.
    struct World {
        let baseURL: String
        let bootstrap: String
        var urls: [String] { ["--base-url", baseURL, "--bootstrap", bootstrap] }
    }

    /// Starts a fresh world (sandbox + mock cluster, topics created), runs `body` against it, stops it.
    private func runWithWorld(_ common: [String], _ body: (World) throws -> RunResult) throws -> (run: RunResult, world: ResourceUsage) {
        var world = try ChildProcess(arguments: ["_world"] + common)
        guard let ready = world.readLine(), ready.hasPrefix("READY ") else {
            throw BenchmarkFailure("the world process did not start")
        }
        let parts = ready.split(separator: " ").map(String.init)
        var run = try body(World(baseURL: parts[1], bootstrap: parts[2]))
        try world.closeInput()
        let usage = try world.result(ResourceUsage.self)
        run.world = usage
        return (run, usage)
    }

    private func child(_ arguments: [String]) throws -> RunResult {
        var process = try ChildProcess(arguments: arguments)
        return try process.result(RunResult.self)
    }

    /// `kcat -P -l` of every event (`key\tvalue` lines) to one topic, with the streamer's producer settings
    /// and its six headers (constant values: kcat cannot vary them per message).
    static func runKcat(_ kcat: String, bootstrap: String, lines: String, events: Int) throws -> RunResult {
        let properties = [
            "enable.idempotence=true", "acks=all", "partitioner=murmur2_random", "linger.ms=5", "compression.type=lz4",
            "queue.buffering.max.messages=100000", "message.timeout.ms=300000",
        ]
        let headers = [
            "content-type=application/json", "anthropic.table=claude_code_usage",
            "anthropic.organization_id=8c1b0a5e-4a52-4e1b-9d7e-2f1f3c9b7a10", "anthropic.op=upsert",
            "anthropic.fetched_at=2025-01-01T00:00:00Z", "schema_version=1",
        ]
        var arguments = ["-P", "-b", bootstrap, "-t", Scenario.kcatTopic, "-K", "\t", "-l"]
        for property in properties { arguments += ["-X", property] }
        for header in headers { arguments += ["-H", header] }
        arguments.append(lines)
        let before = ResourceUsage.current(children: true)
        let clock = Stopwatch()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: kcat)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        var result = RunResult()
        result.seconds = clock.seconds
        guard process.terminationStatus == 0 else { throw BenchmarkFailure("kcat exited with \(process.terminationStatus)") }
        result.usage = ResourceUsage.current(children: true).since(before)
        result.usage.peakRSSBytes = 0
        result.events = events
        result.rows = events
        return result
    }

    static func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
