import AdminClient

#if canImport(FoundationEssentials)
import struct FoundationEssentials.Date
#else
import struct Foundation.Date
#endif

/// Reads `--interval-start` / `--interval-end` the way a person means them: a plain date is a whole UTC day
/// and both ends are inclusive; a full RFC 3339 timestamp as the end is exclusive.
public enum IntervalBound {
    /// The first day an `--interval-start` value covers.
    ///
    /// - Throws: ``StreamerError/Code/configuration`` for text that is neither a date nor a timestamp.
    public static func start(_ text: String) throws(StreamerError) -> CalendarDay {
        if let day = CalendarDay(text) { return day }
        let date = try timestamp(text, option: "--interval-start")
        return CalendarDay(containing: date)
    }

    /// The last day (inclusive) an `--interval-end` value covers.
    ///
    /// - Throws: ``StreamerError/Code/configuration`` for text that is neither a date nor a timestamp.
    public static func end(_ text: String) throws(StreamerError) -> CalendarDay {
        if let day = CalendarDay(text) { return day }
        let date = try timestamp(text, option: "--interval-end")
        // Exclusive: the last day is the one holding the instant just before `date`.
        return CalendarDay(containing: date.addingTimeInterval(-0.000_001))
    }

    private static func timestamp(_ text: String, option: String) throws(StreamerError) -> Date {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        throw StreamerError(
            code: .configuration,
            reason: "\(option) '\(text)' is neither a date (2024-12-31) nor an RFC 3339 timestamp (2025-01-01T00:00:00Z)")
    }
}
