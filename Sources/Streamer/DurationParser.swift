import Foundation

/// Reads durations such as `90`, `30s`, `5m`, `1h` (a bare number is seconds).
public enum DurationParser {
    /// The duration `text` names.
    ///
    /// - Throws: ``StreamerError/Code/configuration`` naming `option`.
    public static func parse(_ text: String, option: String) throws(StreamerError) -> Duration {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            if let value = Double(trimmed.dropLast(suffix.count)), value >= 0 {
                return .milliseconds(Int64(value * factor * 1000))
            }
        }
        if let value = Double(trimmed), value >= 0 { return .milliseconds(Int64(value * 1000)) }
        throw StreamerError(code: .configuration, reason: "\(option) '\(text)' is not a duration (e.g. 30s, 5m, 1h)")
    }
}
