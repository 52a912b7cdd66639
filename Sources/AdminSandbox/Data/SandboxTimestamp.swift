/// RFC 3339 timestamps as the Admin API writes and reads them.
enum SandboxTimestamp {
    /// `YYYY-MM-DDTHH:MM:SS.ffffffZ` for `microseconds` since the epoch.
    static func format(microseconds: Int) -> String {
        let seconds = microseconds.floorDivided(by: 1_000_000)
        let fraction = microseconds - seconds * 1_000_000
        return String(format(seconds: seconds).dropLast()) + "." + pad(fraction, 6) + "Z"
    }

    /// `YYYY-MM-DDTHH:MM:SS Z` for `seconds` since the epoch.
    static func format(seconds: Int) -> String {
        let day = CalendarDayMath.day(ofSeconds: seconds)
        let secondOfDay = seconds - day * 86_400
        let date = CalendarDayMath.dayString(day)
        return date + "T" + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":"
            + pad(secondOfDay % 60, 2) + "Z"
    }

    /// Seconds since the epoch (fraction dropped) of an RFC 3339 timestamp
    /// (`2025-09-01T00:00:00Z`, `…T00:00:00.123456Z`, `…T02:00:00+02:00`), or `nil` when it is not one.
    static func parseSeconds(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, let day = CalendarDayMath.parseDay(bytes[0..<10]),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let hour = digits(bytes, 11, 2), let minute = digits(bytes, 14, 2), let second = digits(bytes, 17, 2),
            hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                index += 1
            }
            guard index > start, index < bytes.count else { return nil }
        }
        var offset = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == bytes.count, bytes[index + 3] == UInt8(ascii: ":"),
                let offsetHours = digits(bytes, index + 1, 2), let offsetMinutes = digits(bytes, index + 4, 2)
            else { return nil }
            offset = (offsetHours * 60 + offsetMinutes) * 60
            if bytes[index] == UInt8(ascii: "-") { offset = -offset }
        default:
            return nil
        }
        return day * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offset
    }

    private static func digits(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int? {
        guard start + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[start..<(start + count)] {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
