import struct Foundation.Date

/// Reads the server's wait hints: `retry-after-ms` (milliseconds), else `retry-after` (seconds, float
/// seconds, or an HTTP-date).
enum RetryAfter {
    /// The wait the headers ask for (never negative), or `nil` when they ask for none or cannot be read.
    ///
    /// - Parameters:
    ///   - headers: lower-cased response headers.
    ///   - now: the wall-clock time, for HTTP-dates.
    static func delay(in headers: [String: String], now: Date) -> Duration? {
        if let text = headers["retry-after-ms"]?.trimmingWhitespace(), let milliseconds = Double(text),
            milliseconds.isFinite
        {
            return .milliseconds(max(0, milliseconds))
        }
        guard let text = headers["retry-after"]?.trimmingWhitespace(), !text.isEmpty else { return nil }
        if let seconds = Double(text) {
            guard seconds.isFinite else { return nil }
            return .seconds(max(0, seconds))
        }
        guard let date = parseHTTPDate(text) else { return nil }
        return .seconds(max(0, date.timeIntervalSince(now)))
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form HTTP servers send.
    static func parseHTTPDate(_ text: String) -> Date? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 6, parts[0].hasSuffix(","), parts[5].uppercased() == "GMT" || parts[5].uppercased() == "UTC",
            let day = Int(parts[1]), let monthIndex = months.firstIndex(of: parts[2].lowercased()),
            let year = Int(parts[3])
        else { return nil }
        let time = parts[4].split(separator: ":")
        guard time.count == 3, let hour = Int(time[0]), let minute = Int(time[1]), let second = Int(time[2]),
            (0..<24).contains(hour), (0..<60).contains(minute), (0...60).contains(second),
            let calendarDay = CalendarDay(year: year, month: monthIndex + 1, day: day)
        else { return nil }
        let seconds = calendarDay.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second
        return Date(timeIntervalSince1970: Double(seconds))
    }
}
