/// The flags of one command, read against ``Setting/catalogue``: `--name value`, `--name=value`, and for
/// switches `--name` / `--no-name`. A flag of another command, an unknown flag, a flag given twice (unless
/// repeatable), a missing value and a stray argument are refused (exit 64), naming the flag.
enum CommandLineArguments {
    /// One flag occurrence.
    struct Occurrence: Sendable, Hashable {
        /// The setting's name.
        let name: String
        /// The value text (`true`/`false` for a switch).
        let value: String
        /// The flag as typed, for messages (`--settle-days`).
        let flag: String
    }

    /// Reads `arguments` as flags of `command`.
    ///
    /// - Throws: ``UsageProblem`` naming the flag and what to do.
    static func parse(
        _ arguments: [String], command: StreamerSubcommand, catalogue: [Setting] = Setting.catalogue
    ) throws(UsageProblem) -> [Occurrence] {
        var result: [Occurrence] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--"), argument.count > 2 else {
                throw UsageProblem("unexpected argument '\(argument.prefix(60))' for `streamer \(command)`; options start with --")
            }
            let body = argument.dropFirst(2)
            let name: String
            var inline: String?
            if let equals = body.firstIndex(of: "=") {
                name = String(body[..<equals])
                inline = String(body[body.index(after: equals)...])
            } else {
                name = String(body)
            }
            var setting = catalogue.first { $0.name == name }
            var negated = false
            if setting == nil, name.hasPrefix("no-"), let positive = catalogue.first(where: { $0.name == name.dropFirst(3) }),
                positive.isSwitch
            {
                setting = positive
                negated = true
            }
            guard let setting else {
                let names = catalogue.filter { $0.commands.contains(command) }.map(\.name)
                throw UsageProblem(
                    "unknown option --\(name) for `streamer \(command)`\(SettingSuggestion.hint(for: name, among: names).replacing("mean ", with: "mean --"))"
                )
            }
            guard setting.commands.contains(command) else {
                let owners = setting.commands.sorted().map { "`streamer \($0)`" }.joined(separator: ", ")
                throw UsageProblem("--\(setting.name) is not an option of `streamer \(command)`: only \(owners) use it")
            }
            let value: String
            if setting.isSwitch {
                if negated {
                    guard inline == nil else { throw UsageProblem("--\(name) takes no value") }
                    value = "false"
                } else {
                    value = inline ?? "true"
                }
            } else if let inline {
                value = inline
            } else {
                guard index < arguments.count, !arguments[index].hasPrefix("--") else {
                    throw UsageProblem("--\(name) needs a value")
                }
                value = arguments[index]
                index += 1
            }
            if !setting.isRepeatable, result.contains(where: { $0.name == setting.name }) {
                throw UsageProblem("--\(setting.name) is given twice; it takes one value")
            }
            result.append(Occurrence(name: setting.name, value: value, flag: "--\(name)"))
        }
        return result
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
