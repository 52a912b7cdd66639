import AdminClient

#if canImport(FoundationEssentials)
import struct FoundationEssentials.Date
#else
import struct Foundation.Date
#endif

/// How far a backfill has got, per table: the pollers report what they planned and what they finished, a
/// ``BackfillProgressDisplay`` draws it.
///
/// Pass one to ``Streamer/make(configuration:apiKey:transport:now:publisher:progress:logger:)``; the
/// streamer's pollers then report to it during ``Streamer/backfill()``.
public actor BackfillProgress {
    /// One table's progress.
    public struct Table: Sendable, Hashable {
        /// The table.
        public var table: AdminTable
        /// Days this pass reads (time tables, once planned); `nil` for state tables (a snapshot has no days).
        public var daysTotal: Int?
        /// Days whose request series has been read to its end and published.
        public var daysDone = 0
        /// Rows the Admin API returned so far.
        public var rows = 0
        /// When the table started.
        public var startedAt: Date
        /// When the table finished (successfully or not); `nil` while it runs.
        public var finishedAt: Date?
        /// `true` when the table finished with an error.
        public var failed = false

        /// `true` once the table finished.
        public var isFinished: Bool { finishedAt != nil }

        /// Seconds since the start, up to the end once finished.
        public func elapsed(now: Date) -> Double {
            max(0, (finishedAt ?? now).timeIntervalSince(startedAt))
        }

        /// Rows per second so far; `nil` before any time passed.
        public func rowsPerSecond(now: Date) -> Double? {
            let seconds = elapsed(now: now)
            return seconds > 0 ? Double(rows) / seconds : nil
        }

        /// Seconds left, from the pace of the days done so far; `nil` for state tables, before the first day
        /// is done, and once finished.
        public func estimatedSecondsLeft(now: Date) -> Double? {
            guard !isFinished, let total = daysTotal, daysDone > 0 else { return nil }
            let left = max(0, total - daysDone)
            return elapsed(now: now) / Double(daysDone) * Double(left)
        }
    }

    private var tables: [AdminTable: Table] = [:]
    private let now: @Sendable () -> Date

    /// An empty progress record.
    ///
    /// - Parameter now: the clock. Default: the system clock.
    public init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    /// Every table reported so far, in table order.
    public var tableProgress: [Table] {
        tables.values.sorted { $0.table < $1.table }
    }

    /// `true` when at least one table started and every started table finished.
    public var isFinished: Bool {
        !tables.isEmpty && tables.values.allSatisfy(\.isFinished)
    }

    /// The current time on this record's clock.
    public var currentTime: Date { now() }

    /// A table started.
    func started(_ table: AdminTable) {
        tables[table] = Table(table: table, daysTotal: nil, startedAt: now())
    }

    /// A time table planned `days` days for this pass.
    func planned(_ table: AdminTable, days: Int) {
        update(table) { $0.daysTotal = days }
    }

    /// A page of `rows` rows was published; `daysDone` request-series days were completed with it.
    func published(_ table: AdminTable, rows: Int, daysDone: Int) {
        update(table) {
            $0.rows += rows
            $0.daysDone += daysDone
        }
    }

    /// A table finished.
    func finished(_ table: AdminTable, failed: Bool) {
        let time = now()
        update(table) {
            $0.finishedAt = time
            $0.failed = failed
        }
    }

    private func update(_ table: AdminTable, _ change: (inout Table) -> Void) {
        var entry = tables[table] ?? Table(table: table, daysTotal: nil, startedAt: now())
        change(&entry)
        tables[table] = entry
    }
}
