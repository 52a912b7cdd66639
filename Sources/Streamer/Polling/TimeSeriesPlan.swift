import AdminClient

/// Which requests a time table makes in one cycle: the days not yet published as final, from the start to
/// the end, as one-day queries (claude_code_usage) or windows of at most 31 daily buckets (reports).
struct TimeSeriesPlan: Sendable, Equatable {
    /// One request series.
    struct Query: Sendable, Equatable {
        var start: CalendarDay
        /// Exclusive.
        var end: CalendarDay

        var tableQuery: TableQuery { end.daysSinceEpoch - start.daysSinceEpoch == 1 ? .day(start) : .window(start: start, end: end) }
        var days: [CalendarDay] { (start.daysSinceEpoch..<end.daysSinceEpoch).map(CalendarDay.init(daysSinceEpoch:)) }
    }

    var queries: [Query]

    /// The maximum number of daily buckets one report request asks for (the documented cap for `1d`).
    static let maximumWindowDays = 31

    /// - Parameters:
    ///   - kind: daily (one-day series) or date range (windows of up to 31 days).
    ///   - first: the first day to consider.
    ///   - last: the last day to consider (inclusive).
    ///   - published: days already final and published: skipped.
    ///   - inProgress: windows of series interrupted after some of their pages: planned exactly as they were, so
    ///     each resumes from its page token.
    init(
        kind: TableDefinition.CursorKind, first: CalendarDay, last: CalendarDay, published: [DayRange],
        inProgress: [DayRange] = []
    ) {
        var queries: [Query] = []
        guard first <= last else {
            self.queries = []
            return
        }
        var day = first
        while day <= last {
            if let range = published.first(where: { $0.contains(day) }) {
                day = range.end
                continue
            }
            switch kind {
            case .daily, .snapshot:
                queries.append(Query(start: day, end: day.adding(days: 1)))
                day = day.adding(days: 1)
            case .dateRange:
                if let window = inProgress.first(where: { $0.start == day }) {
                    queries.append(Query(start: window.start, end: window.end))
                    day = window.end
                    continue
                }
                var end = day.adding(days: 1)
                while end <= last, end.daysSinceEpoch - day.daysSinceEpoch < Self.maximumWindowDays,
                    !published.covers(end), !inProgress.contains(where: { $0.start == end })
                {
                    end = end.adding(days: 1)
                }
                queries.append(Query(start: day, end: end))
                day = end
            }
        }
        self.queries = queries
    }
}
