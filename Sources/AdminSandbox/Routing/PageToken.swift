import AdminClient

#if canImport(FoundationEssentials)
import struct FoundationEssentials.Data
#else
import struct Foundation.Data
#endif

/// Opaque `next_page` tokens: `page_` + base64 of what the next page starts at.
enum PageToken {
    /// A report token: the next bucket's start (`page_MjAyNS0wOS0wMVQwMDowMDowMFo=`).
    static func bucket(_ day: CalendarDay) -> String {
        "page_" + Data(day.midnightTimestamp.utf8).base64EncodedString()
    }

    /// The bucket day of a report token.
    static func parseBucket(_ token: String) -> CalendarDay? {
        guard let text = decode(token), let seconds = SandboxTimestamp.parseSeconds(text) else { return nil }
        return CalendarDay(daysSinceEpoch: CalendarDayMath.day(ofSeconds: seconds))
    }

    /// A Claude Code token: the day and the offset of the next record.
    static func record(day: CalendarDay, offset: Int) -> String {
        "page_" + Data("\(day):\(offset)".utf8).base64EncodedString()
    }

    /// The day and offset of a Claude Code token.
    static func parseRecord(_ token: String) -> (day: CalendarDay, offset: Int)? {
        guard let text = decode(token) else { return nil }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let day = CalendarDay(String(parts[0])), let offset = Int(parts[1]), offset >= 0
        else { return nil }
        return (day, offset)
    }

    /// A list token: the offset of the next entry (rate limits).
    static func offset(_ offset: Int) -> String {
        "page_" + Data("offset:\(offset)".utf8).base64EncodedString()
    }

    /// The offset of a list token.
    static func parseOffset(_ token: String) -> Int? {
        guard let text = decode(token), text.hasPrefix("offset:"), let offset = Int(text.dropFirst(7)), offset >= 0
        else { return nil }
        return offset
    }

    /// The text inside a token; tolerates a token percent-encoded twice by a client (`%3D` for `=`).
    private static func decode(_ token: String) -> String? {
        guard token.hasPrefix("page_") else { return nil }
        let payload = String(token.dropFirst(5))
        guard let data = Data(base64Encoded: payload) ?? Data(base64Encoded: SandboxHTTPRequest.percentDecoded(payload))
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
