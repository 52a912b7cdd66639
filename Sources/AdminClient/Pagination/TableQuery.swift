/// What part of a table to read.
public enum TableQuery: Sendable, Hashable {
    /// One UTC day: `claude_code_usage` sends `starting_at=YYYY-MM-DD` (no `ending_at`). For the report
    /// tables it means `.window(start: day, end: day + 1)`.
    case day(CalendarDay)
    /// Daily buckets from `start` (inclusive) to `end` (exclusive): the report tables send
    /// `starting_at=start.midnightTimestamp&ending_at=end.midnightTimestamp`.
    case window(start: CalendarDay, end: CalendarDay)
    /// The whole current state: the state tables (organization, workspaces, api_keys, invites, users,
    /// workspace_members).
    case snapshot
}
