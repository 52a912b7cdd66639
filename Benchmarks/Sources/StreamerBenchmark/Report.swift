import AdminClient
import Foundation
import Streamer

/// The plain-text report: one line per (rows, mode, path), ratios against the ceilings, then the targets.
struct Report {
    enum Path: String {
        case streamer = "streamer backfill"
        case capture = "streamer, no Kafka"
        case librdkafka = "librdkafka ceiling"
        case kcat = "kcat -P ceiling"
        case python = "Python pipeline"
    }

    struct Line {
        let rows: Int
        let mode: StreamerConfiguration.DeliveryMode?
        let path: Path
        let run: RunResult
        let payloadBytes: Int

        var rowsPerSecond: Double { Double(run.events) / run.seconds }
        var megabytesPerSecond: Double { Double(payloadBytes) / run.seconds / 1_048_576 }
        var cpuPer100k: Double { run.usage.cpuSeconds / Double(max(run.events, 1)) * 100_000 }
        var peakMiB: Double { Double(run.usage.peakRSSBytes) / 1_048_576 }
    }

    let today: CalendarDay
    /// The streamer's `--max-buffered-mib` in the runs.
    var pageBudgetMiB = Scenario.pageBudgetMiB
    /// `/proc/loadavg` when the run started: other work on the machine skews every number.
    let loadAtStart = Report.loadAverage()
    private(set) var lines: [Line] = []

    static func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3)
            .joined(separator: " ")
    }

    mutating func add(
        rows: Int, mode: StreamerConfiguration.DeliveryMode?, path: Path, _ run: RunResult, payloadBytes: Int
    ) {
        lines.append(Line(rows: rows, mode: mode, path: path, run: run, payloadBytes: payloadBytes))
    }

    private func line(_ rows: Int, _ mode: StreamerConfiguration.DeliveryMode?, _ path: Path) -> Line? {
        lines.first { $0.rows == rows && $0.mode == mode && $0.path == path }
    }

    func render(totalSeconds: Double) -> String {
        var out: [String] = []
        out.append("streamer-benchmark: sandbox Admin API → streamer backfill (claude_code_usage + usage_report) → librdkafka mock cluster (3 brokers, 16 partitions)")
        out.append(
            "machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory / 1_073_741_824) GiB; "
                + "load average \(loadAtStart) at start, \(Self.loadAverage()) at end; run took \(Int(totalSeconds)) s")
        out.append(
            "sandbox today \(today); \(Scenario.claudeCodeRowsPerDay) claude_code_usage rows + \(Scenario.usageResultsPerBucket) "
                + "usage_report results a day (pages of 1,000 and 992 rows), history grows with N")
        out.append(
            "streamer: --requests-per-second 1000 and --max-buffered-mib \(pageBudgetMiB) (defaults 40 and 6: the sandbox has no request limit, "
                + "and 6 MiB holds fewer pages than 1,000 requests/s fetch; at 6 MiB the exactly-once run is ~30 % slower, results/memory.txt)")
        out.append("rows/s = events per wall second of the backfill (after Streamer.make); MB/s = key+value bytes; CPU and RSS are the measured process only")
        out.append("streamer, no Kafka = the same backfill publishing to capture files (the ceilings' input): its CPU includes writing them (a third to a half of it, by perf)")
        out.append("exactly-once: the librdkafka ceiling commits as many pages per transaction as the streamer did (its transaction boundaries)")
        out.append("world CPU = CPU s/100k of the separate 'world' process (sandbox API + mock cluster) sharing the 2 cores, whole life; kcat's RSS is not measured")
        out.append("")
        let header = ["rows", "mode", "path", "events", "pages", "seconds", "rows/s", "MB/s", "CPU s/100k", "world CPU", "peak RSS MiB", "vs librdkafka", "vs kcat"]
        var table: [[String]] = [header]
        for entry in lines {
            var ratioRdkafka = ""
            var ratioKcat = ""
            if entry.path == .streamer || entry.path == .capture || entry.path == .python {
                if let mode = entry.mode, let ceiling = line(entry.rows, mode, .librdkafka) {
                    ratioRdkafka = percent(entry.rowsPerSecond / ceiling.rowsPerSecond)
                }
                if let kcat = line(entry.rows, nil, .kcat) {
                    ratioKcat = percent(entry.rowsPerSecond / kcat.rowsPerSecond)
                }
            }
            table.append([
                String(entry.rows), entry.mode?.rawValue ?? "-", entry.path.rawValue, String(entry.run.events),
                entry.run.pages > 0 ? String(entry.run.pages) : "-", fixed(entry.run.seconds, 2),
                String(Int(entry.rowsPerSecond.rounded())), fixed(entry.megabytesPerSecond, 1), fixed(entry.cpuPer100k, 2),
                entry.run.world.map { fixed($0.cpuSeconds / Double(max(entry.run.events, 1)) * 100_000, 2) } ?? "-",
                entry.run.usage.peakRSSBytes > 0 ? fixed(entry.peakMiB, 1) : "-", ratioRdkafka, ratioKcat,
            ])
        }
        out.append(contentsOf: Self.align(table))
        out.append("")
        out.append("where the streamer's CPU goes (CPU seconds per 100k rows, by thread group; librdkafka = rdk:* threads):")
        for entry in lines where entry.path == .streamer || entry.path == .librdkafka {
            let groups = entry.run.threadCPU.filter { $0.key != "sampler" }.sorted { $0.value > $1.value }
            let text = groups.map { "\($0.key) \(fixed($0.value / Double(max(entry.run.events, 1)) * 100_000, 2))" }
            out.append("  \(entry.rows) \(entry.mode?.rawValue ?? "-") \(entry.path.rawValue): \(text.joined(separator: ", "))")
        }
        out.append("")
        out.append("what the streamer committed (exactly-once: transactions; at-least-once: checkpoint writes):")
        for entry in lines where entry.path == .streamer && entry.run.transactions > 0 {
            let pages = fixed(Double(entry.run.pages) / Double(entry.run.transactions), 1)
            out.append("  \(entry.rows) \(entry.mode?.rawValue ?? "-"): \(entry.run.transactions), \(pages) pages each")
        }
        out.append("")
        out.append(contentsOf: targets())
        return out.joined(separator: "\n") + "\n"
    }

    private func targets() -> [String] {
        var out = ["targets:"]
        for entry in lines where entry.path == .streamer {
            if let python = line(entry.rows, nil, .python) {
                let ratio = entry.rowsPerSecond / python.rowsPerSecond
                out.append(
                    "  \(entry.mode?.rawValue ?? "-") \(entry.rows) rows: \(fixed(ratio, 1))x the plain Python pipeline (target ≥ 3x): "
                        + (ratio >= 3 ? "met" : "MISSED"))
            }
            if let kcat = line(entry.rows, nil, .kcat) {
                let ratio = kcat.rowsPerSecond / entry.rowsPerSecond
                out.append(
                    "  \(entry.mode?.rawValue ?? "-") \(entry.rows) rows: kcat is \(fixed(ratio, 1))x faster (target: within 3x): "
                        + (ratio <= 3 ? "met" : "MISSED"))
            }
        }
        for (mode, target) in [(StreamerConfiguration.DeliveryMode.atLeastOnce, 0.8), (.exactlyOnce, 0.8)] {
            for entry in lines where entry.path == .streamer && entry.mode == mode {
                guard let ceiling = line(entry.rows, mode, .librdkafka) else { continue }
                let ratio = entry.rowsPerSecond / ceiling.rowsPerSecond
                out.append(
                    "  \(mode.rawValue) \(entry.rows) rows: \(percent(ratio)) of the librdkafka ceiling (target ≥ \(percent(target))): "
                        + (ratio >= target ? "met" : "MISSED"))
            }
        }
        let streamerRuns = lines.filter { $0.path == .streamer }
        for mode in StreamerConfiguration.DeliveryMode.allCases {
            let runs = streamerRuns.filter { $0.mode == mode }.sorted { $0.rows < $1.rows }
            guard let smallest = runs.first, let largest = runs.last, runs.count > 1 else { continue }
            let growth = largest.peakMiB / smallest.peakMiB - 1
            var text = "  \(mode.rawValue) peak RSS: \(fixed(smallest.peakMiB, 1)) MiB at \(smallest.rows) rows, "
                + "\(fixed(largest.peakMiB, 1)) MiB at \(largest.rows) rows (+\(percent(growth)); target ≤ +10%"
            if largest.rows >= 1_000_000 { text += ", and < 64 MiB" }
            let met = growth <= 0.10 && (largest.rows < 1_000_000 || largest.peakMiB < 64)
            out.append(text + "): " + (met ? "met" : "MISSED"))
        }
        return out
    }

    private func percent(_ value: Double) -> String { "\(Int((value * 100).rounded()))%" }

    private func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

    private static func align(_ rows: [[String]]) -> [String] {
        var widths = [Int](repeating: 0, count: rows[0].count)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        return rows.map { row in
            row.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                return index <= 2 ? cell + pad : pad + cell
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
    }
}
