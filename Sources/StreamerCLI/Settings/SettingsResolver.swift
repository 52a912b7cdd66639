import Kafka
import Streamer

/// Resolves one command's settings from the settings file, the environment and the flags (later wins:
/// flags over environment over file), every value checked by its ``Setting``. Nothing is skipped silently:
/// every file line and every known environment variable is checked even when this command does not use it.
struct SettingsResolver {
    /// The outcome: the settings, where each came from, and warnings to log once logging is up.
    struct Resolved: Sendable {
        /// The settings, the configuration validated.
        var settings: CommandSettings
        /// Where each setting in effect came from (`--tables`, `STREAMER_TABLES`, `streamer.conf:4`).
        var sources: [String: String]
        /// Things worth a warning (a secret on the command line, an unknown `STREAMER_` variable).
        var warnings: [String]
    }

    /// Environment variables that are not settings but are expected: the admin key sources, the build's strict mode.
    static let otherVariables: Set<String> = [
        "ANTHROPIC_ADMIN_KEY", "ANTHROPIC_SOURCE_URI", "STREAMER_STRICT",
    ]

    let command: StreamerSubcommand
    let catalogue: [Setting]

    init(command: StreamerSubcommand, catalogue: [Setting] = Setting.catalogue) {
        self.command = command
        self.catalogue = catalogue
    }

    /// Resolves `arguments` (this command's flags) with `environment`.
    ///
    /// - Throws: ``UsageProblem`` for a command-line mistake (exit 64), ``ConfigurationProblem`` for a value
    ///   or a file refused (exit 78), each naming its source.
    func resolve(arguments: [String], environment: [String: String]) throws -> Resolved {
        let flags = try CommandLineArguments.parse(arguments, command: command, catalogue: catalogue)
        var settings = CommandSettings()
        var sources: [String: String] = [:]
        var warnings: [String] = []

        func apply(_ setting: Setting, _ value: String, source: String) throws(ConfigurationProblem) {
            var scratch = CommandSettings()
            do {
                try setting.apply(&scratch, value)
                if setting.commands.contains(command) {
                    try setting.apply(&settings, value)
                    sources[setting.name] = source
                }
            } catch {
                throw ConfigurationProblem("\(source): \(error.reason)")
            }
        }

        let configPath = flags.last { $0.name == "config" }?.value ?? environment["STREAMER_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        if let configPath {
            let file = try SettingsFile.load(path: configPath)
            for entry in file.entries {
                guard let setting = catalogue.first(where: { $0.name == entry.name }) else { continue }
                try apply(setting, entry.value, source: "\(file.path):\(entry.line): \(entry.name)")
            }
        }
        for setting in catalogue {
            switch setting.environment {
            case .variable(let variable):
                guard setting.name != "config", let value = environment[variable], !value.isEmpty else { continue }
                try apply(setting, value, source: variable)
            case .prefix(let prefix):
                for (variable, value) in environment.sorted(by: { $0.key < $1.key }) where variable.hasPrefix(prefix) {
                    let name = KafkaPropertySecrets.propertyName(fromEnvironmentSuffix: String(variable.dropFirst(prefix.count)))
                    try apply(setting, "\(name)=\(value)", source: variable)
                }
            }
        }
        for flag in flags where flag.name != "config" {
            guard let setting = catalogue.first(where: { $0.name == flag.name }) else { continue }
            try apply(setting, flag.value, source: flag.flag)
            if setting.name == "kafka-property", let equals = flag.value.firstIndex(of: "=") {
                let name = String(flag.value[..<equals]).trimmingWhitespace()
                if KafkaPropertySecrets.isSecret(name) {
                    warnings.append(
                        "--kafka-property \(name)=… puts a secret on the command line, where `ps` and shell history show it; "
                            + "give it as \(KafkaPropertySecrets.environmentName(for: name)) or in a kafka-properties-file")
                }
            }
        }
        warnings += unknownVariables(in: environment)
        try settings.streamer.kafka.properties = kafkaProperties(settings)
        do {
            try settings.streamer.validate()
        } catch {
            throw ConfigurationProblem(error.reason)
        }
        return Resolved(settings: settings, sources: sources, warnings: warnings)
    }

    /// The librdkafka properties: the properties file, then each property in order (later wins).
    private func kafkaProperties(_ settings: CommandSettings) throws(ConfigurationProblem) -> [String: String] {
        var properties: [String: String] = [:]
        if let path = settings.kafkaPropertiesFile {
            do {
                properties = try KafkaConfiguration.loadProperties(fromFile: path)
            } catch {
                throw ConfigurationProblem(error.reason)
            }
        }
        for property in settings.kafkaProperties { properties[property.name] = property.value }
        return properties
    }

    /// A warning for each `STREAMER_…` variable that names no setting (a typo would otherwise be ignored).
    private func unknownVariables(in environment: [String: String]) -> [String] {
        let known = Set(catalogue.compactMap { if case .variable(let name) = $0.environment { name } else { nil } })
            .union(Self.otherVariables)
        return environment.keys.sorted().filter { $0.hasPrefix("STREAMER_") && !known.contains($0) }.map { variable in
            let names = known.filter { $0.hasPrefix("STREAMER_") || $0.hasPrefix("KAFKA_") || $0.hasPrefix("ANTHROPIC_") }
            let hint = SettingSuggestion.hint(for: variable, among: names.sorted())
            return "the environment variable \(variable) is not a streamer setting and is ignored\(hint)"
        }
    }

    /// Whether the logs (and the fatal error) should be JSON, read leniently so a refused setting is still
    /// reported in the format the deployment asked for.
    static func prefersJSON(arguments: [String], environment: [String: String]) -> Bool {
        var answer: Bool?
        for (index, argument) in arguments.enumerated() {
            if argument == "--log-format", index + 1 < arguments.count { answer = arguments[index + 1] == "json" }
            if argument.hasPrefix("--log-format=") { answer = argument == "--log-format=json" }
        }
        if let answer { return answer }
        if let format = environment["STREAMER_LOG_FORMAT"], !format.isEmpty { return format == "json" }
        var config = environment["STREAMER_CONFIG"]
        for (index, argument) in arguments.enumerated() {
            if argument == "--config", index + 1 < arguments.count { config = arguments[index + 1] }
            if argument.hasPrefix("--config=") { config = String(argument.dropFirst("--config=".count)) }
        }
        guard let config, let text = try? String(contentsOfFile: config, encoding: .utf8) else { return false }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingWhitespace() }
            if parts.count == 2, parts[0] == "log-format" {
                return (try? SettingsFile.value(Substring(parts[1]))) == "json"
            }
        }
        return false
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
