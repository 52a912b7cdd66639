/// The `--config` settings file. Its grammar, line by line:
///
/// ```text
/// # a comment line; blank lines are skipped
/// bootstrap-servers = broker-1:9092,broker-2:9092   # a comment after a value
/// tables = "users,cost_report"                       # double quotes: \" \\ \t \n escapes; '#' inside is text
/// transactional-id = 'streamer-eu#1'                 # single quotes: literal text
/// kafka-property = security.protocol=SASL_SSL       # a repeatable name: every line counts
/// kafka-property = sasl.mechanism=SCRAM-SHA-512
/// dry-run = false                                    # switches take true or false
/// ```
///
/// A name is a setting name (the flag without `--`). A bare value ends at the first `#` that follows a space or
/// tab; trailing spaces are dropped. Unknown names, a name given twice (unless repeatable), an empty value,
/// text after a closing quote and keys are refused, each with the file and the line.
struct SettingsFile: Sendable {
    /// One `name = value` line.
    struct Entry: Sendable, Hashable {
        /// The setting name.
        let name: String
        /// The value, unquoted.
        let value: String
        /// The 1-based line number.
        let line: Int
    }

    /// The path, for messages.
    let path: String
    /// The entries in file order.
    let entries: [Entry]

    /// Names that would hold a key: refused with the way to give a key instead.
    static let keyNames: Set<String> = ["admin-key", "api-key", "anthropic-admin-key", "key", "anthropic-api-key"]

    /// Reads and checks the file at `path`.
    ///
    /// - Throws: ``ConfigurationProblem`` naming the file (and line).
    static func load(path: String) throws(ConfigurationProblem) -> SettingsFile {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigurationProblem("cannot read the settings file '\(path)'")
        }
        return try parse(text, path: path)
    }

    /// Parses `text` as the file at `path` (checks names against ``Setting/catalogue``).
    ///
    /// - Throws: ``ConfigurationProblem`` naming `path` and the line.
    static func parse(_ text: String, path: String) throws(ConfigurationProblem) -> SettingsFile {
        var entries: [Entry] = []
        var firstLine: [String: Int] = [:]
        // `\r\n` is one Character in Swift, and a newline: Windows files split like Unix ones.
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let number = index + 1
            func fail(_ reason: String) -> ConfigurationProblem { ConfigurationProblem("\(path):\(number): \(reason)") }
            let trimmed = raw.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.first == "#" { continue }
            guard let equals = trimmed.firstIndex(of: "=") else {
                throw fail("expected name = value")
            }
            let name = trimmed[..<equals].trimmingWhitespace()
            if keyNames.contains(name) {
                throw fail("keys do not belong in settings files; use admin-key-file = /path or ANTHROPIC_ADMIN_KEY")
            }
            guard let setting = Setting.named(name), setting.isAllowedInFile else {
                if name == "config" { throw fail("a settings file cannot name another settings file") }
                throw fail("unknown setting '\(name)'\(SettingSuggestion.hint(for: name))")
            }
            let value: String
            do {
                value = try Self.value(trimmed[trimmed.index(after: equals)...])
            } catch {
                throw fail("\(name): \(error.reason)")
            }
            if let first = firstLine[name], !setting.isRepeatable {
                throw fail("\(name) is already set on line \(first); it takes one value")
            }
            firstLine[name] = firstLine[name] ?? number
            entries.append(Entry(name: name, value: value, line: number))
        }
        return SettingsFile(path: path, entries: entries)
    }

    /// The value after `=`: quoted or bare, with any trailing comment removed.
    static func value(_ text: Substring) throws(SettingError) -> String {
        let rest = text.drop { $0 == " " || $0 == "\t" }
        guard let first = rest.first else { throw SettingError(reason: "no value after '='") }
        if first == "\"" || first == "'" {
            var result = ""
            var index = rest.index(after: rest.startIndex)
            var closed = false
            while index < rest.endIndex {
                let character = rest[index]
                index = rest.index(after: index)
                if character == first { closed = true; break }
                if character == "\\" && first == "\"" {
                    guard index < rest.endIndex else { break }
                    let escaped = rest[index]
                    index = rest.index(after: index)
                    switch escaped {
                    case "\"": result.append("\"")
                    case "\\": result.append("\\")
                    case "t": result.append("\t")
                    case "n": result.append("\n")
                    default: throw SettingError(reason: "unknown escape \\\(escaped) (use \\\" \\\\ \\t \\n)")
                    }
                } else {
                    result.append(character)
                }
            }
            guard closed else { throw SettingError(reason: "the quote \(first) is never closed") }
            let after = rest[index...].drop { $0 == " " || $0 == "\t" }
            guard after.isEmpty || after.first == "#" else {
                throw SettingError(reason: "text after the closing quote (start a comment with #)")
            }
            return result
        }
        var result = ""
        var previous: Character = " "
        for character in rest {
            if character == "#" && (previous == " " || previous == "\t") { break }
            result.append(character)
            previous = character
        }
        let value = result.trimmingWhitespace()
        guard !value.isEmpty else { throw SettingError(reason: "no value after '='") }
        return value
    }
}

import Kafka  // trimmingWhitespace

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
