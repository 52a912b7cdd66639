import AdminClient

/// A half-open range of UTC days `[start, end)`, as stored in checkpoints.
public struct DayRange: Sendable, Hashable, Codable, CustomStringConvertible {
    /// First day in the range.
    public var start: CalendarDay
    /// First day after the range.
    public var end: CalendarDay

    /// `[start, end)`.
    public init(start: CalendarDay, end: CalendarDay) {
        self.start = start
        self.end = end
    }

    /// `true` when `day` is in the range.
    public func contains(_ day: CalendarDay) -> Bool { start <= day && day < end }

    public var description: String { "[\(start), \(end))" }
}

extension [DayRange] {
    /// Adds `[day, day+1)`, merging neighbours, keeping the list sorted and disjoint.
    mutating func insert(day: CalendarDay) {
        append(DayRange(start: day, end: day.adding(days: 1)))
        sort { $0.start < $1.start }
        var merged: [DayRange] = []
        for range in self {
            if var last = merged.last, range.start <= last.end {
                if range.end > last.end { last.end = range.end }
                merged[merged.count - 1] = last
            } else {
                merged.append(range)
            }
        }
        self = merged
    }

    /// `true` when some range holds `day`.
    func covers(_ day: CalendarDay) -> Bool { contains { $0.contains(day) } }
}
