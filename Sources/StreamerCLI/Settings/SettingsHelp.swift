#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The option list of a command's `--help` and the README's settings table, both from ``Setting/catalogue``.
enum SettingsHelp {
    /// The options of `command`, one paragraph each: flag, help, environment variable and default.
    static func options(for command: StreamerSubcommand) -> String {
        var lines = ["OPTIONS (each also an environment variable and a settings-file name; flags win, then environment, then file):"]
        for setting in Setting.catalogue where setting.commands.contains(command) {
            let flag: String
            switch setting.shape {
            case .value(let placeholder): flag = "--\(setting.name) <\(placeholder)>"
            case .repeatable(let placeholder): flag = "--\(setting.name) <\(placeholder)> (repeatable)"
            case .switch: flag = "--\(setting.name) / --no-\(setting.name)"
            }
            var line = "  \(flag)\n      \(setting.help) [env \(setting.environment.display)"
            if !setting.defaultText.isEmpty { line += "; default \(setting.defaultText)" }
            lines.append(line + "]")
        }
        return lines.joined(separator: "\n")
    }

    /// The README table: flag, environment, settings name, commands, default.
    static func markdownTable() -> String {
        var lines = ["| flag | environment | settings file | commands | default |", "|---|---|---|---|---|"]
        for setting in Setting.catalogue {
            let flag: String
            switch setting.shape {
            case .value(let placeholder): flag = "`--\(setting.name) <\(placeholder)>`"
            case .repeatable(let placeholder): flag = "`--\(setting.name) <\(placeholder)>` (repeatable)"
            case .switch: flag = "`--\(setting.name)` / `--no-\(setting.name)`"
            }
            let file = setting.isAllowedInFile ? "`\(setting.name)`" : "—"
            let commands = setting.commands.sorted().map(\.rawValue).joined(separator: ", ")
            let defaultText = setting.defaultText.isEmpty ? "" : "`\(setting.defaultText)`"
            lines.append("| \(flag.replacing("|", with: "\\|")) | `\(setting.environment.display)` | \(file) | \(commands) | \(defaultText) |")
        }
        return lines.joined(separator: "\n")
    }
}
