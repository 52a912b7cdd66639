import AdminClient
import Testing

@testable import Streamer

@Suite struct TimeSeriesPlanTests {
    let first = CalendarDay("2025-01-01")!

    @Test("claude_code_usage asks for one day per request series")
    func dailyQueries() {
        let plan = TimeSeriesPlan(kind: .daily, first: first, last: first.adding(days: 2), published: [])
        #expect(plan.queries.map(\.tableQuery) == [.day(first), .day(first.adding(days: 1)), .day(first.adding(days: 2))])
    }

    @Test("reports ask for windows of at most 31 daily buckets")
    func reportWindows() {
        let plan = TimeSeriesPlan(kind: .dateRange, first: first, last: first.adding(days: 69), published: [])
        #expect(plan.queries.map { $0.days.count } == [31, 31, 8])
        #expect(plan.queries.first?.tableQuery == .window(start: first, end: first.adding(days: 31)))
        #expect(plan.queries.last?.end == first.adding(days: 70))
    }

    @Test("days already published as final are not asked for again")
    func skipsPublished() {
        var published: [DayRange] = []
        for offset in 0..<10 { published.insert(day: first.adding(days: offset)) }
        published.insert(day: first.adding(days: 12))
        #expect(published == [
            DayRange(start: first, end: first.adding(days: 10)),
            DayRange(start: first.adding(days: 12), end: first.adding(days: 13)),
        ])
        let plan = TimeSeriesPlan(kind: .dateRange, first: first, last: first.adding(days: 14), published: published)
        #expect(plan.queries.map(\.start) == [first.adding(days: 10), first.adding(days: 13)])
        #expect(plan.queries.map(\.end) == [first.adding(days: 12), first.adding(days: 15)])
    }

    @Test("an interrupted report window is planned exactly as it was, so it resumes from its page token")
    func keepsInterruptedWindows() {
        let window = DayRange(start: first.adding(days: 5), end: first.adding(days: 20))
        let plan = TimeSeriesPlan(
            kind: .dateRange, first: first, last: first.adding(days: 40), published: [], inProgress: [window])
        #expect(plan.queries.contains { $0.start == window.start && $0.end == window.end })
        #expect(plan.queries.map(\.start) == [first, window.start, window.end])
    }

    @Test("an empty interval asks for nothing")
    func emptyInterval() {
        #expect(TimeSeriesPlan(kind: .daily, first: first, last: first.adding(days: -1), published: []).queries.isEmpty)
    }
}
