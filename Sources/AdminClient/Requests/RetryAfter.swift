#if canImport(FoundationEssentials)
import struct FoundationEssentials.Date
#else
import struct Foundation.Date
#endif

/// Reads the server's wait hints: `retry-after-ms` (milliseconds), else `retry-after` (seconds, float
/// seconds, or an HTTP-date).
///
/// Every hint is range-checked before it becomes a `Duration` (through ``SafeDuration``): a negative ask or a
/// date in the past is no wait; an ask longer than the cap (``AdminClientConfiguration/Retry/maxRetryAfter``,
/// 60 s by default, the longest wait the Anthropic SDKs honour) waits the cap; `inf`, `nan`, text that is not
/// a number and a date that cannot be read are ignored, so the client backs off on its own.
enum RetryAfter {
    /// The wait the headers ask for, within `0...maximum`, or `nil` when they ask for none that can be read.
    ///
    /// - Parameters:
    ///   - headers: lower-cased response headers.
    ///   - now: the wall-clock time, for HTTP-dates.
    ///   - maximum: the longest wait honoured; longer asks are cut to it.
    static func delay(in headers: [String: String], now: Date, maximum: Duration) -> Duration? {
        if let text = headers["retry-after-ms"]?.trimmingWhitespace(), let milliseconds = Double(text),
            let delay = SafeDuration.clamped(seconds: milliseconds / 1000, maximum: maximum)
        {
            return delay
        }
        guard let text = headers["retry-after"]?.trimmingWhitespace(), !text.isEmpty else { return nil }
        if let seconds = Double(text) {
            return SafeDuration.clamped(seconds: seconds, maximum: maximum)
        }
        guard let date = parseHTTPDate(text) else { return nil }
        return SafeDuration.clamped(seconds: date.timeIntervalSince(now), maximum: maximum)
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form HTTP servers send; a year outside
    /// 1900–9999 is refused (the day arithmetic would overflow on a hostile one).
    static func parseHTTPDate(_ text: String) -> Date? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 6, parts[0].hasSuffix(","), parts[5].uppercased() == "GMT" || parts[5].uppercased() == "UTC",
            let day = Int(parts[1]), let monthIndex = months.firstIndex(of: parts[2].lowercased()),
            let year = Int(parts[3]), (1900...9999).contains(year)
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
