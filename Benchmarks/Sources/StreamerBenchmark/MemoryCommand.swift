#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation

/// `memory`: the resident memory of a release `streamer backfill --tables claude_code_usage` against
/// `streamer sandbox` (its own process, so the mock cluster's memory is not counted), for each row count.
///
/// Samples the backfill's `/proc/PID/status` (VmRSS, VmHWM) and `/proc/PID/smaps_rollup` (anonymous vs
/// file-backed) every `--interval-ms`, and the full `/proc/PID/smaps` (file-backed by library) at the
/// largest sample; the exact peak comes from `wait4`'s `ru_maxrss`. Issue #16's targets: peak ≤ 48 MiB for
/// 1M rows, and flat (≤ 10 % above the 10k-row peak).
struct MemoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memory",
        abstract: "Resident memory of a release `streamer backfill` (10k and 1M claude_code_usage rows by default).")

    @Option(help: "Comma-separated claude_code_usage row counts (1,000 rows a day).")
    var rows = "10000,1000000"
    @Option(help: "The streamer executable (build it with `scripts/build-release` at the root).")
    var streamer = MemoryCommand.defaultStreamer
    @Option(help: "Milliseconds between samples.")
    var intervalMs = 100
    @Option(help: "Extra environment for the backfill, NAME=VALUE (repeatable), e.g. MALLOC_ARENA_MAX=2.")
    var env: [String] = []
    @Option(help: "Where to write the report (besides standard output).")
    var output = "results/memory.txt"

    /// `<repo>/.build/release/streamer`, from where this file sits.
    static var defaultStreamer: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/release/streamer").path
    }

    func run() throws {
        guard FileManager.default.isExecutableFile(atPath: streamer) else {
            throw ValidationError("no streamer at \(streamer): run `scripts/build-release` at the repository root")
        }
        let counts = try rows.split(separator: ",").map { text in
            guard let count = Int(text.replacingOccurrences(of: "_", with: "")), count >= 1_000 else {
                throw ValidationError("--rows: '\(text)' is not a whole number of at least 1000")
            }
            return count
        }
        var runs: [MemoryRun] = []
        for count in counts {
            progress("\(count) rows: starting the sandbox")
            let run = try measure(rows: count)
            progress(
                "\(count) rows: \(run.rowsPublished) rows in \(String(format: "%.1f", run.seconds)) s, peak \(mib(run.peakRSS)) MiB")
            runs.append(run)
        }
        let text = MemoryReport(runs: runs, streamer: streamer, environment: env).render()
        print(text)
        let url = URL(fileURLWithPath: output)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        progress("written to \(output)")
    }

    private func measure(rows: Int) throws -> MemoryRun {
        let days = max(1, rows / 1_000)
        var sandbox = try ChildProcess(
            executable: streamer,
            arguments: ["sandbox", "--days", "\(days)", "--rows-per-day", "1000", "--partitions", "16"])
        defer {
            sandbox.process.terminate()
            sandbox.process.waitUntilExit()
        }
        var environment = ProcessInfo.processInfo.environment
        while let line = sandbox.readLine() {
            guard line.hasPrefix("export "), let equals = line.firstIndex(of: "=") else { continue }
            let name = String(line[line.index(line.startIndex, offsetBy: 7)..<equals])
            environment[name] = String(line[line.index(after: equals)...])
            if name == "STREAMER_INTERVAL_START" { break }
        }
        guard environment["STREAMER_INTERVAL_START"] != nil else { throw BenchmarkFailure("the sandbox did not start") }
        for pair in env {
            guard let equals = pair.firstIndex(of: "=") else { throw ValidationError("--env \(pair) is not NAME=VALUE") }
            environment[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        let summary = FileManager.default.temporaryDirectory.appendingPathComponent("streamer-memory-\(getpid()).out").path
        defer { try? FileManager.default.removeItem(atPath: summary) }
        progress("\(rows) rows: backfilling")
        let clock = Stopwatch()
        let child = try SpawnedProcess(
            executable: streamer,
            arguments: ["backfill", "--tables", "claude_code_usage", "--requests-per-second", "1000", "--log-level", "error"],
            environment: environment, standardOutput: summary)
        var samples: [MemorySample] = []
        var biggest: (rss: Int, map: MemoryMap)?
        var lastSmaps = -1.0
        while !child.hasExited() {
            if let sample = MemorySample.read(pid: child.pid, seconds: clock.seconds) {
                samples.append(sample)
                // The full smaps costs a few ms: at most every second, and only when the RSS is a new high.
                if sample.rss > (biggest?.rss ?? 0), sample.seconds - lastSmaps >= 1,
                    let map = MemorySample.map(pid: child.pid)
                {
                    biggest = (sample.rss, map)
                    lastSmaps = sample.seconds
                }
            }
            usleep(UInt32(max(1, intervalMs)) * 1_000)
        }
        let (status, usage) = try child.wait()
        let seconds = clock.seconds
        let output = (try? String(contentsOfFile: summary, encoding: .utf8)) ?? ""
        guard status == 0 else { throw BenchmarkFailure("the backfill exited with \(status): \(output)") }
        // "claude_code_usage: N rows fetched, M events published"
        let published = output.split(separator: "\n").first { $0.hasPrefix("claude_code_usage:") }
            .flatMap { line in line.split(separator: " ").dropFirst().first.flatMap { Int($0) } } ?? 0
        return MemoryRun(
            rows: rows, rowsPublished: published, seconds: seconds, peakRSS: Int(usage.ru_maxrss) * 1024,
            samples: samples, largestSampleMap: biggest?.map ?? MemoryMap())
    }

    private func progress(_ text: String) {
        FileHandle.standardError.write(Data("[streamer-benchmark memory] \(text)\n".utf8))
    }
}

func mib(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1_048_576) }
