import Foundation

/// One measured backfill.
struct MemoryRun: Sendable {
    var rows: Int
    var rowsPublished: Int
    var seconds: Double
    /// `ru_maxrss` from `wait4`: the exact peak.
    var peakRSS: Int
    var samples: [MemorySample]
    /// The mappings at the largest sample (file-backed per file, anonymous by kind).
    var largestSampleMap: MemoryMap
}

/// The `memory` subcommand's report: per run the peak, and anonymous vs file-backed memory over the run
/// (at every tenth of it), so growth shows; then the file-backed breakdown and the verdict against #16.
struct MemoryReport {
    static let targetPeak = 48 * 1_048_576
    static let flatness = 1.10

    let runs: [MemoryRun]
    let streamer: String
    let environment: [String]

    func render() -> String {
        var lines: [String] = []
        let date = ISO8601DateFormatter().string(from: Date())
        lines.append("streamer-benchmark memory, \(date), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        lines.append("`\(streamer) backfill --tables claude_code_usage` against `streamer sandbox --rows-per-day 1000`")
        if !environment.isEmpty { lines.append("backfill environment: \(environment.joined(separator: " "))") }
        lines.append("")
        lines.append(
            "rows".padded(9) + "published".padded(10) + "seconds".padded(9) + "peak MiB".padded(10)
                + "anon max".padded(10) + "file max".padded(10) + "samples")
        for run in runs {
            lines.append(
                "\(run.rows)".padded(9) + "\(run.rowsPublished)".padded(10) + String(format: "%.1f", run.seconds).padded(9)
                    + mib(run.peakRSS).padded(10) + mib(run.samples.map(\.anonymous).max() ?? 0).padded(10)
                    + mib(run.samples.map(\.fileBacked).max() ?? 0).padded(10) + "\(run.samples.count)")
        }
        for run in runs {
            lines.append("")
            lines.append("\(run.rows) rows over the run (MiB; anonymous + file-backed = RSS):")
            lines.append("  " + "at".padded(8) + "RSS".padded(8) + "anon".padded(8) + "file".padded(8) + "HWM")
            let samples = run.samples
            for tenth in 1...10 where !samples.isEmpty {
                let sample = samples[min(samples.count - 1, samples.count * tenth / 10 - (tenth == 10 ? 1 : 0))]
                lines.append(
                    "  " + String(format: "%.1fs", sample.seconds).padded(8) + mib(sample.rss).padded(8)
                        + mib(sample.anonymous).padded(8) + mib(sample.fileBacked).padded(8) + mib(sample.hwm))
            }
        }
        if let last = runs.last, !last.largestSampleMap.fileBacked.isEmpty {
            let map = last.largestSampleMap
            lines.append("")
            lines.append("Anonymous resident memory by kind at the \(last.rows)-row run's largest sample:")
            for kind in MemoryMap.Kind.allCases {
                lines.append("  " + mib(map.anonymous[kind] ?? 0).padded(7) + kind.rawValue)
            }
            lines.append("  " + mib(map.anonymous.values.reduce(0, +)).padded(7) + "total")
            lines.append("")
            lines.append("File-backed resident memory by file at the same sample (≥ 0.1 MiB; a static Swift runtime is in the")
            lines.append("executable's line, shared ones as libswift*.so):")
            let total = map.fileBacked.values.reduce(0, +)
            for (name, bytes) in map.fileBacked.sorted(by: { $0.value > $1.value }) where bytes >= 104_858 {
                lines.append("  " + mib(bytes).padded(7) + name)
            }
            lines.append("  " + mib(total).padded(7) + "total")
        }
        lines.append("")
        if let largest = runs.max(by: { $0.rows < $1.rows }) {
            let verdict = largest.peakRSS <= Self.targetPeak ? "met" : "NOT met"
            lines.append("Target peak ≤ 48 MiB at \(largest.rows) rows: \(mib(largest.peakRSS)) MiB, \(verdict)")
        }
        if let smallest = runs.min(by: { $0.rows < $1.rows }), let largest = runs.max(by: { $0.rows < $1.rows }),
            smallest.rows != largest.rows, smallest.peakRSS > 0
        {
            let ratio = Double(largest.peakRSS) / Double(smallest.peakRSS)
            let verdict = ratio <= Self.flatness ? "met" : "NOT met"
            lines.append(
                "Target flat (≤ +10 % from \(smallest.rows) to \(largest.rows) rows): "
                    + String(format: "%+.1f %%", (ratio - 1) * 100) + ", \(verdict)")
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func padded(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
