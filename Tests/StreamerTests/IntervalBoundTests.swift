import AdminClient
import Testing

@testable import Streamer

@Suite struct IntervalBoundTests {
    @Test("a plain date is a whole UTC day, inclusive at both ends")
    func plainDates() throws {
        #expect(try IntervalBound.start("2024-01-01") == CalendarDay("2024-01-01"))
        #expect(try IntervalBound.end("2024-12-31") == CalendarDay("2024-12-31"))
    }

    @Test("an RFC 3339 end is exclusive")
    func timestampEndIsExclusive() throws {
        #expect(try IntervalBound.end("2025-01-01T00:00:00Z") == CalendarDay("2024-12-31"))
        #expect(try IntervalBound.end("2025-01-01T06:30:00Z") == CalendarDay("2025-01-01"))
        #expect(try IntervalBound.end("2025-01-01T01:00:00+02:00") == CalendarDay("2024-12-31"))
        #expect(try IntervalBound.start("2024-03-05T23:59:59.5Z") == CalendarDay("2024-03-05"))
    }

    @Test("nonsense is a configuration error naming the option")
    func nonsense() {
        #expect(throws: StreamerError.self) { try IntervalBound.start("yesterday") }
        do {
            _ = try IntervalBound.end("2024-13-01")
        } catch {
            #expect(error.code == .configuration)
            #expect(error.reason.contains("--interval-end"))
        }
    }
}
