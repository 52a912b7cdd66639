#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

import Kafka  // trimmingWhitespace

/// Typed constructors: each reads its text strictly and hands a typed value to the setter.
extension Setting {
    typealias Setter<Value> = @Sendable (inout CommandSettings, Value) -> Void

    /// Free text (a path, a name); empty text is refused.
    static func text(
        _ name: String, environment: Environment, commands: Set<StreamerSubcommand>, placeholder: String = "text",
        help: String, default defaultText: String = "", set: @escaping Setter<String>
    ) -> Setting {
        Setting(name, environment: environment, commands: commands, shape: .value(placeholder: placeholder), help: help, default: defaultText) {
            settings, text throws(SettingError) in
            set(&settings, try nonEmpty(text))
        }
    }

    /// A whole number inside `range`.
    static func integer(
        _ name: String, environment: Environment, commands: Set<StreamerSubcommand>, range: ClosedRange<Int>,
        help: String, default defaultText: String = "", set: @escaping Setter<Int>
    ) -> Setting {
        Setting(name, environment: environment, commands: commands, shape: .value(placeholder: "n"), help: help, default: defaultText) {
            settings, text throws(SettingError) in
            guard let number = Int(text) else { throw SettingError(reason: "'\(text)' is not a whole number") }
            guard range.contains(number) else {
                throw SettingError(reason: "\(number) is out of range \(range.lowerBound)…\(range.upperBound)")
            }
            set(&settings, number)
        }
    }

    /// A decimal number inside `range`.
    static func number(
        _ name: String, environment: Environment, commands: Set<StreamerSubcommand>, range: ClosedRange<Double>,
        help: String, default defaultText: String = "", set: @escaping Setter<Double>
    ) -> Setting {
        Setting(name, environment: environment, commands: commands, shape: .value(placeholder: "n"), help: help, default: defaultText) {
            settings, text throws(SettingError) in
            guard let number = Double(text), number.isFinite else { throw SettingError(reason: "'\(text)' is not a number") }
            guard range.contains(number) else {
                throw SettingError(reason: "\(text) is out of range \(format(range.lowerBound))…\(format(range.upperBound))")
            }
            set(&settings, number)
        }
    }

    /// A duration (`90`, `30s`, `5m`, `1h`, `250ms`; a bare number is seconds) inside `range`.
    static func duration(
        _ name: String, environment: Environment, commands: Set<StreamerSubcommand>, range: ClosedRange<Duration>,
        help: String, default defaultText: String = "", set: @escaping Setter<Duration>
    ) -> Setting {
        Setting(name, environment: environment, commands: commands, shape: .value(placeholder: "duration"), help: help, default: defaultText) {
            settings, text throws(SettingError) in
            set(&settings, try parseDuration(text, range: range))
        }
    }

    /// One of a fixed set of words.
    static func choice<Value: Sendable>(
        _ name: String, environment: Environment, commands: Set<StreamerSubcommand>, choices: KeyValuePairs<String, Value>,
        help: String, default defaultText: String = "", set: @escaping Setter<Value>
    ) -> Setting {
        let pairs = choices.map { ($0.key, $0.value) }
        let words = pairs.map(\.0)
        return Setting(
            name, environment: environment, commands: commands, shape: .value(placeholder: words.joined(separator: "|")),
            help: help, default: defaultText
        ) { settings, text throws(SettingError) in
            guard let match = pairs.first(where: { $0.0 == text }) else {
                throw SettingError(reason: "'\(text)' is not one of \(words.joined(separator: ", "))")
            }
            set(&settings, match.1)
        }
    }

    /// On or off: `--name`/`--no-name` on the command line, `true`/`false` in the file and environment.
    static func toggle(
        _ name: String, environment: Environment, commands: Set<StreamerSubcommand>, help: String,
        default defaultText: String, set: @escaping Setter<Bool>
    ) -> Setting {
        Setting(name, environment: environment, commands: commands, shape: .switch, help: help, default: defaultText) {
            settings, text throws(SettingError) in
            switch text {
            case "true": set(&settings, true)
            case "false": set(&settings, false)
            default: throw SettingError(reason: "'\(text)' is not true or false")
            }
        }
    }

    /// A repeatable `key=value` pair.
    static func pairs(
        _ name: String, environment: Environment, commands: Set<StreamerSubcommand>, help: String,
        set: @escaping @Sendable (inout CommandSettings, String, String) -> Void
    ) -> Setting {
        Setting(name, environment: environment, commands: commands, shape: .repeatable(placeholder: "key=value"), help: help) {
            settings, text throws(SettingError) in
            guard let equals = text.firstIndex(of: "=") else {
                throw SettingError(reason: "'\(text.prefix(40))' is not key=value")
            }
            let key = text[..<equals].trimmingWhitespace()
            guard !key.isEmpty else { throw SettingError(reason: "the key before '=' is empty") }
            set(&settings, key, String(text[text.index(after: equals)...]).trimmingWhitespace())
        }
    }

    static func nonEmpty(_ text: String) throws(SettingError) -> String {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw SettingError(reason: "the value is empty") }
        return trimmed
    }

    /// `90`, `30s`, `5m`, `1h`, `250ms` (a bare number is seconds), checked against `range` before it becomes a
    /// `Duration`, so no text can overflow the conversion.
    static func parseDuration(_ text: String, range: ClosedRange<Duration>) throws(SettingError) -> Duration {
        let trimmed = text.trimmingWhitespace().lowercased()
        var milliseconds: Double?
        for (suffix, factor) in [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("", 1)] as [(String, Double)]
        where trimmed.hasSuffix(suffix) {
            if let value = Double(trimmed.dropLast(suffix.count)), value.isFinite, value >= 0 {
                milliseconds = value * factor * 1000
                break
            }
        }
        guard let milliseconds else {
            throw SettingError(reason: "'\(text)' is not a duration (e.g. 30s, 5m, 1h)")
        }
        let lower = Double(range.lowerBound.components.seconds) * 1000 + Double(range.lowerBound.components.attoseconds) / 1e15
        let upper = Double(range.upperBound.components.seconds) * 1000 + Double(range.upperBound.components.attoseconds) / 1e15
        guard milliseconds >= lower, milliseconds <= upper else {
            throw SettingError(reason: "'\(text)' is out of range \(describe(range.lowerBound))…\(describe(range.upperBound))")
        }
        return .milliseconds(Int64(milliseconds.rounded()))
    }

    /// `1s`, `5m`, `24h`, `250ms`.
    static func describe(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        if seconds == 0 { return "\(duration.components.attoseconds / 1_000_000_000_000_000)ms" }
        if seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }

    private static func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}
