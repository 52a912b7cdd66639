/// The one way a number from outside (a response header, a flag, an environment variable, a settings file)
/// becomes a `Duration`.
///
/// `Duration.seconds(_: Double)` and `Int64(_: Double)` trap on `inf`, `nan` and anything past ±9.2e18, so
/// `retry-after: 1e30` or `--poll-interval inf` would kill the process. Callers compute the number of seconds
/// in `Double` (which never traps: an overflow is `inf`), and only this type turns it into a `Duration`,
/// after checking the range.
public enum SafeDuration {
    /// The longest duration any outside number may name: 10 years. Far below where `Duration` arithmetic
    /// or a conversion to milliseconds or nanoseconds could overflow.
    public static let ceiling: Duration = .seconds(10 * 366 * 86_400)

    /// `seconds` as a `Duration` when it is finite, not negative and at most `maximum`; `nil` otherwise.
    ///
    /// - Parameters:
    ///   - seconds: the number of seconds, e.g. `value * 3600` for hours (`inf` when that overflowed).
    ///   - maximum: the largest acceptable result; never more than ``ceiling``.
    /// - Returns: the duration, to the nearest nanosecond, or `nil` when out of range.
    public static func exactly(seconds: Double, maximum: Duration = ceiling) -> Duration? {
        guard seconds.isFinite, seconds >= 0, seconds <= secondsValue(min(maximum, ceiling)) else { return nil }
        return fromSeconds(seconds)
    }

    /// `seconds` cut into `0...maximum` (negative → zero, above `maximum` → `maximum`), or `nil` when it is not
    /// a number at all (`nan`, `±inf`).
    ///
    /// - Parameters:
    ///   - seconds: the number of seconds.
    ///   - maximum: the cap; never more than ``ceiling``.
    /// - Returns: the clamped duration, or `nil` for a value that is not finite.
    public static func clamped(seconds: Double, maximum: Duration) -> Duration? {
        guard seconds.isFinite else { return nil }
        let cap = max(.zero, min(maximum, ceiling))
        if seconds <= 0 { return .zero }
        if seconds >= secondsValue(cap) { return cap }
        return fromSeconds(seconds)
    }

    /// Whole nanoseconds, rounded to the nearest: `Int64` holds them because `seconds` is within the ceiling.
    private static func fromSeconds(_ seconds: Double) -> Duration {
        .nanoseconds(Int64((seconds * 1e9).rounded()))
    }

    private static func secondsValue(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
