import AdminClient

#if canImport(FoundationEssentials)
import struct FoundationEssentials.Date
#else
import struct Foundation.Date
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Draws a ``BackfillProgress`` while a backfill runs: on a terminal, one line per table redrawn in place;
/// otherwise (a pipe, a file, a log collector) a plain line per running table every few seconds and one
/// final line per table when it finishes.
///
/// ```
/// backfill usage_report: 12/30 days, 1234 rows, 56.7 rows/s, ETA 32s
/// backfill usage_report: done, 30/30 days, 4000 rows in 12.3s (325.2 rows/s)
/// backfill users: done, snapshot, 150 rows in 1.2s (125.0 rows/s)
/// ```
public struct BackfillProgressDisplay: Sendable {
    /// How the output is drawn.
    public enum Mode: Sendable, Hashable {
        /// Redraw the lines in place (ANSI cursor movement).
        case terminal
        /// Append plain lines.
        case lines
    }

    private let progress: BackfillProgress
    private let mode: Mode
    private let interval: Duration
    private let write: @Sendable (String) -> Void

    /// A display.
    ///
    /// - Parameters:
    ///   - progress: what to draw.
    ///   - mode: terminal or plain lines.
    ///   - interval: how often to draw. Default: 0.5 s on a terminal, 5 s for plain lines.
    ///   - write: where the text goes.
    public init(
        progress: BackfillProgress, mode: Mode, interval: Duration? = nil, write: @escaping @Sendable (String) -> Void
    ) {
        self.progress = progress
        self.mode = mode
        self.interval = interval ?? (mode == .terminal ? .milliseconds(500) : .seconds(5))
        self.write = write
    }

    /// A display on standard error: ``Mode/terminal`` when standard error is a terminal, else
    /// ``Mode/lines``.
    ///
    /// - Parameter progress: what to draw.
    /// - Returns: the display.
    public static func standardError(progress: BackfillProgress) -> BackfillProgressDisplay {
        BackfillProgressDisplay(progress: progress, mode: isatty(2) == 1 ? .terminal : .lines) { text in
            StandardStream.error.write(text)
        }
    }

    /// Runs `body` (the backfill) while drawing, then draws the final state once more.
    ///
    /// - Parameter body: the work whose progress is drawn.
    /// - Returns: what `body` returned.
    /// - Throws: what `body` threw (the final state is drawn either way).
    public func showing<T: Sendable, Failure: Error>(
        _ body: () async throws(Failure) -> T
    ) async throws(Failure) -> T {
        let result: Result<T, Failure> = await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.drawUntilCancelled() }
            let result: Result<T, Failure>
            do throws(Failure) {
                result = .success(try await body())
            } catch {
                result = .failure(error)
            }
            group.cancelAll()
            await group.waitForAll()
            return result
        }
        return try result.get()
    }

    private func drawUntilCancelled() async {
        var state = DrawState()
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                break
            }
            await draw(&state, isFinal: false)
        }
        await draw(&state, isFinal: true)
    }

    /// What has been drawn so far.
    private struct DrawState {
        /// Lines drawn last time (terminal mode).
        var linesDrawn = 0
        /// Tables whose final line was written (lines mode).
        var reported: Set<AdminTable> = []
    }

    private func draw(_ state: inout DrawState, isFinal: Bool) async {
        let tables = await progress.tableProgress
        let now = await progress.currentTime
        switch mode {
        case .terminal:
            guard !tables.isEmpty else { return }
            let width = tables.map(\.table.name.count).max() ?? 0
            var text = state.linesDrawn > 0 ? "\u{1B}[\(state.linesDrawn)A\r" : ""
            for table in tables {
                let name = table.table.name + String(repeating: " ", count: width - table.table.name.count)
                text += "\u{1B}[2K" + Self.describe(table, now: now, name: name) + "\n"
            }
            state.linesDrawn = tables.count
            write(text)
        case .lines:
            var text = ""
            for table in tables where !state.reported.contains(table.table) {
                // A finished table gets its final line once; a running one a line every interval.
                if table.isFinished || isFinal { state.reported.insert(table.table) }
                text += "backfill " + Self.describe(table, now: now, name: table.table.name) + "\n"
            }
            if !text.isEmpty { write(text) }
        }
    }

    /// One table's line: `usage_report: 12/30 days, 1234 rows, 56.7 rows/s, ETA 32s`, or once finished
    /// `usage_report: done, 30/30 days, 4000 rows in 12.3s (325.2 rows/s)`.
    ///
    /// - Parameters:
    ///   - table: the table's progress.
    ///   - now: the current time.
    ///   - name: the name to show (padded on a terminal).
    /// - Returns: the line, without a newline.
    public static func describe(_ table: BackfillProgress.Table, now: Date, name: String) -> String {
        let days = table.daysTotal.map { "\(table.daysDone)/\($0) days" } ?? "snapshot"
        let rate = table.rowsPerSecond(now: now).map { "\(oneDecimal($0)) rows/s" } ?? "- rows/s"
        if table.isFinished {
            let status = table.failed ? "failed" : "done"
            return "\(name): \(status), \(days), \(table.rows) rows in \(duration(table.elapsed(now: now))) (\(rate))"
        }
        var line = "\(name): \(days), \(table.rows) rows, \(rate)"
        if let left = table.estimatedSecondsLeft(now: now) {
            line += ", ETA \(duration(left))"
        }
        return line
    }

    /// `12.3s`, `3m05s`, `1h02m`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "-" }
        if seconds < 60 { return "\(oneDecimal(seconds))s" }
        let whole = Int(seconds.rounded())
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        if whole < 3600 { return "\(whole / 60)m\(two(whole % 60))s" }
        return "\(whole / 3600)h\(two(whole / 60 % 60))m"
    }

    static func oneDecimal(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
