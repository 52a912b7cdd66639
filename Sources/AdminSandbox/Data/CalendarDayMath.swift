import AdminClient

/// Conversions between epoch seconds, day numbers and `YYYY-MM-DD`, through ``CalendarDay``.
enum CalendarDayMath {
    /// The day number (days since 1970-01-01) containing `seconds`.
    static func day(ofSeconds seconds: Int) -> Int {
        seconds.floorDivided(by: 86_400)
    }

    /// `YYYY-MM-DD` of a day number.
    static func dayString(_ day: Int) -> String {
        CalendarDay(daysSinceEpoch: day).description
    }

    /// The day number of exactly `YYYY-MM-DD`, or `nil`.
    static func parseDay(_ bytes: ArraySlice<UInt8>) -> Int? {
        CalendarDay(String(decoding: bytes, as: UTF8.self))?.daysSinceEpoch
    }
}
