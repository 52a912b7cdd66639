import AdminClient
import Foundation

/// Reads durations such as `90`, `30s`, `5m`, `1h`, `250ms` (a bare number is seconds).
///
/// The number must be finite, not negative and at most ``maximum`` (`inf`, `nan`, `1e17h`, `1e300` are
/// configuration errors, never a crash): the conversion goes through `SafeDuration`.
public enum DurationParser {
    /// The longest duration an option may name: 365 days (each option's `validate()` may allow less).
    public static let maximum: Duration = .seconds(365 * 86_400)

    /// The duration `text` names.
    ///
    /// - Parameters:
    ///   - text: e.g. `30s`.
    ///   - option: the flag it came from, for the message (e.g. `--poll-interval`).
    /// - Throws: ``StreamerError/Code/configuration`` naming `option` (exit 78).
    public static func parse(_ text: String, option: String) throws(StreamerError) -> Duration {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        var number: Double?
        var unitSeconds = 1.0
        if let unit = units.first(where: { trimmed.hasSuffix($0.suffix) }),
            let value = Double(trimmed.dropLast(unit.suffix.count))
        {
            number = value
            unitSeconds = unit.seconds
        } else if let value = Double(trimmed) {
            number = value
        }
        guard let number, number.isFinite, number >= 0 else {
            throw StreamerError(
                code: .configuration,
                reason: "\(option) '\(text.prefix(40))' is not a duration (a finite, non-negative number with "
                    + "an optional unit ms, s, m or h, e.g. 30s, 5m, 1h)")
        }
        // Milliseconds divide (exact for whole milliseconds); the other units multiply.
        let seconds = unitSeconds < 1 ? number / 1000 : number * unitSeconds
        guard let duration = SafeDuration.exactly(seconds: seconds, maximum: maximum) else {
            throw StreamerError(
                code: .configuration, reason: "\(option) '\(text.prefix(40))' is too long: at most 365 days (8760h)")
        }
        return duration
    }
}
