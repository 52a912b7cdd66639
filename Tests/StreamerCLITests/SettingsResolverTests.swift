import AdminClient
import Foundation
import Kafka
import Logging
import Streamer
import Testing

@testable import StreamerCLI

/// Flags, environment and the settings file set the same settings (flags win, then environment, then file);
/// every value is checked, and a refused one names its source.
@Suite struct SettingsResolverTests {
    func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("streamer-\(UUID().uuidString).conf").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func resolve(
        _ command: StreamerSubcommand = .run, _ arguments: [String] = [], environment: [String: String] = [:]
    ) throws -> SettingsResolver.Resolved {
        try SettingsResolver(command: command).resolve(arguments: arguments, environment: environment)
    }

    func problem(
        _ command: StreamerSubcommand = .run, _ arguments: [String] = [], environment: [String: String] = [:]
    ) -> String? {
        do {
            _ = try resolve(command, arguments, environment: environment)
            return nil
        } catch let problem as ConfigurationProblem {
            return problem.message
        } catch let problem as UsageProblem {
            return "usage: " + problem.message
        } catch {
            return "\(error)"
        }
    }

    @Test("flags win over the environment, which wins over the file")
    func precedence() throws {
        let path = try file("settle-days = 1\ntopic-prefix = from-file\ntables = users\n")
        let resolved = try resolve(
            .run, ["--config", path, "--settle-days", "3"],
            environment: ["STREAMER_SETTLE_DAYS": "2", "STREAMER_TOPIC_PREFIX": "from-env"])
        #expect(resolved.settings.streamer.settleDays == 3)
        #expect(resolved.settings.streamer.topicPrefix == "from-env")
        #expect(resolved.settings.streamer.tables == [.users])
        #expect(resolved.sources["settle-days"] == "--settle-days")
        #expect(resolved.sources["topic-prefix"] == "STREAMER_TOPIC_PREFIX")
        #expect(resolved.sources["tables"] == "\(path):3: tables")
    }

    @Test("STREAMER_CONFIG names the settings file")
    func configFromEnvironment() throws {
        let path = try file("bootstrap-servers = b1:9092\n")
        let resolved = try resolve(environment: ["STREAMER_CONFIG": path])
        #expect(resolved.settings.streamer.kafka.bootstrapServers == "b1:9092")
    }

    @Test("every setting but config can be given as a flag, an environment variable and a file line", arguments: Setting.catalogue.filter { $0.name != "config" })
    func parity(setting: Setting) throws {
        let value = Self.sampleValue(for: setting)
        let command = try #require(setting.commands.sorted().first)
        let flag = try resolve(command, setting.isSwitch ? ["--\(setting.name)=\(value)"] : ["--\(setting.name)", value],
            environment: Self.keyFiles)
        #expect(flag.sources[setting.name] == "--\(setting.name)")
        let environmentName: String
        let environmentValue: String
        switch setting.environment {
        case .variable(let name): (environmentName, environmentValue) = (name, value)
        case .prefix(let prefix): (environmentName, environmentValue) = (prefix + "CLIENT_RACK", "eu-1")
        }
        let fromEnvironment = try resolve(command, environment: Self.keyFiles.merging([environmentName: environmentValue]) { $1 })
        #expect(fromEnvironment.sources[setting.name] == environmentName)
        let path = try file("\(setting.name) = \(value)\n")
        let fromFile = try resolve(command, ["--config", path], environment: Self.keyFiles)
        #expect(fromFile.sources[setting.name] == "\(path):1: \(setting.name)")
    }

    static let keyFiles: [String: String] = [:]

    /// A valid value for each setting.
    static func sampleValue(for setting: Setting) -> String {
        switch setting.name {
        case "base-url": "https://admin.example.com"
        case "bootstrap-servers": "b1:9092"
        case "kafka-property": "client.rack=eu-1"
        case "kafka-properties-file": propertiesFile
        case "tables": "users"
        case "interval-start", "interval-end": "2025-01-01"
        case "delivery": "at-least-once"
        case "settle-days", "metrics-port", "max-in-flight", "max-buffered-mib", "max-pages-per-series": "7"
        case "commit-interval": "100ms"
        case "state-topic": "anthropic.state2"
        case "confirm-deletes": "3"
        case "organization": "org-1"
        case "topic-layout": "shared"
        case "usage-group-by": "inference_geo,speed"
        case "metrics-host": "0.0.0.0"
        case "poll-interval", "snapshot-interval", "request-timeout", "broker-timeout": "30s"
        case "requests-per-second": "2.5"
        case "log-level": "debug"
        case "log-format": "json"
        case "resnapshot", "dry-run", "progress", "allow-insecure-http", "from-scratch", "json": "true"
        default: "value-\(setting.name)"
        }
    }

    static let propertiesFile: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("streamer-\(UUID().uuidString).properties").path
        try? "client.rack=eu-2\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }()

    @Test("each typed setting lands in the configuration")
    func typedValues() throws {
        let resolved = try resolve(
            .run,
            [
                "--delivery", "at-least-once", "--poll-interval", "90", "--snapshot-interval", "2m", "--requests-per-second", "0.5",
                "--request-timeout", "90s", "--interval-start", "2024-01-01", "--interval-end", "2024-12-31", "--log-level", "debug",
                "--log-format", "json", "--metrics-port", "9464", "--group-id", "g", "--resnapshot",
            ])
        let settings = resolved.settings
        #expect(settings.streamer.delivery == .atLeastOnce)
        #expect(settings.streamer.pollInterval == .seconds(90))
        #expect(settings.streamer.snapshotInterval == .seconds(120))
        #expect(settings.streamer.requestsPerSecond == 0.5)
        #expect(settings.streamer.admin.timeouts.request == .seconds(90))
        #expect(settings.streamer.intervalStart == CalendarDay("2024-01-01"))
        #expect(settings.streamer.intervalEnd == CalendarDay("2024-12-31"))
        #expect(settings.logLevel == .debug && settings.logsJSON)
        #expect(settings.metricsPort == 9464 && settings.groupID == "g" && settings.streamer.resnapshot)
    }

    @Test(
        "out-of-range and mistyped values are refused naming their source",
        arguments: [
            (["--settle-days", "70"], [:], "--settle-days: 70 is out of range 0…60"),
            (["--settle-days", "two"], [:], "--settle-days: 'two' is not a whole number"),
            ([], ["STREAMER_METRICS_PORT": "70000"], "STREAMER_METRICS_PORT: 70000 is out of range 1…65535"),
            (["--poll-interval", "1e30s"], [:], "--poll-interval: '1e30s' is out of range 1s…24h"),
            (["--poll-interval", "soon"], [:], "--poll-interval: 'soon' is not a duration (e.g. 30s, 5m, 1h)"),
            (["--requests-per-second", "nan"], [:], "--requests-per-second: 'nan' is not a number"),
            (["--delivery", "exactly_once"], [:], "--delivery: 'exactly_once' is not one of exactly-once, at-least-once"),
            (["--dry-run=yes"], [:], "--dry-run: 'yes' is not true or false"),
            ([], ["STREAMER_TABLES": "users,userz"], "STREAMER_TABLES: unknown table 'userz'; tables are: claude_code_usage, usage_report, cost_report, organization, workspaces, api_keys, invites, users, workspace_members, rate_limits, workspace_rate_limits"),
            (["--kafka-property", "novalue"], [:], "--kafka-property: 'novalue' is not key=value"),
        ] as [([String], [String: String], String)])
    func refused(arguments: [String], environment: [String: String], message: String) {
        #expect(problem(.run, arguments, environment: environment) == message)
    }

    @Test("a bad value in the file names the file and the line, even for a setting this command does not use")
    func fileProblems() throws {
        let path = try file("# ops\nmetrics-port = 99999\n")
        #expect(problem(.backfill, ["--config", path]) == "\(path):2: metrics-port: 99999 is out of range 1…65535")
    }

    @Test("a setting of another command in the file or environment is accepted and not applied")
    func otherCommandsSettings() throws {
        let path = try file("metrics-port = 9464\n")
        let resolved = try resolve(.backfill, ["--config", path], environment: ["STREAMER_GROUP_ID": "g"])
        #expect(resolved.settings.metricsPort == nil && resolved.settings.groupID == nil)
    }

    @Test("Kafka properties come from the properties file, the settings file, the environment and flags, later winning")
    func kafkaProperties() throws {
        let properties = FileManager.default.temporaryDirectory.appendingPathComponent("p-\(UUID().uuidString)").path
        try "client.rack=from-properties\nsocket.timeout.ms=1000\nlinger.ms=1\n".write(toFile: properties, atomically: true, encoding: .utf8)
        let path = try file("kafka-properties-file = \(properties)\nkafka-property = client.rack=from-file\nkafka-property = acks=all\n")
        let resolved = try resolve(
            .run, ["--config", path, "--kafka-property", "linger.ms=7"],
            environment: ["KAFKA_PROPERTY_SOCKET_TIMEOUT_MS": "2000", "KAFKA_PROPERTY_CLIENT_RACK": "from-env"])
        #expect(
            resolved.settings.streamer.kafka.properties == [
                "client.rack": "from-env", "socket.timeout.ms": "2000", "linger.ms": "7", "acks": "all",
            ])
    }

    @Test("KAFKA_PROPERTY_ names map _ to . and __ to _")
    func environmentPropertyNames() {
        #expect(KafkaPropertySecrets.propertyName(fromEnvironmentSuffix: "SASL_PASSWORD") == "sasl.password")
        #expect(KafkaPropertySecrets.propertyName(fromEnvironmentSuffix: "SSL__KEY") == "ssl_key")
        #expect(KafkaPropertySecrets.environmentName(for: "sasl.oauthbearer.client.secret") == "KAFKA_PROPERTY_SASL_OAUTHBEARER_CLIENT_SECRET")
    }

    @Test(
        "a secret-named Kafka property on the command line is warned about, without its value",
        arguments: [
            "sasl.password", "sasl.jaas.config", "ssl.key.password", "ssl.keystore.password", "sasl.oauthbearer.client.secret",
            "sasl.oauthbearer.extensions", "ssl.key.pem", "sasl.oauthbearer.token.endpoint.url", "ssl_key",
        ])
    func secretWarning(name: String) throws {
        let resolved = try resolve(.run, ["--kafka-property", "\(name)=hunter2"])
        let warning = try #require(resolved.warnings.first)
        #expect(warning.contains("--kafka-property \(name)=…") && warning.contains(KafkaPropertySecrets.environmentName(for: name)))
        #expect(!warning.contains("hunter2"))
    }

    @Test("the same secret from the environment or the file draws no warning")
    func secretFromEnvironment() throws {
        let resolved = try resolve(.run, [], environment: ["KAFKA_PROPERTY_SASL_PASSWORD": "hunter2"])
        #expect(resolved.warnings.isEmpty)
        #expect(resolved.settings.streamer.kafka.properties["sasl.password"] == "hunter2")
    }

    @Test("an unknown STREAMER_ variable is warned about with a suggestion")
    func unknownVariable() throws {
        let resolved = try resolve(.run, [], environment: ["STREAMER_SETTLE_DAY": "3", "STREAMER_STRICT": "1"])
        #expect(resolved.warnings == ["the environment variable STREAMER_SETTLE_DAY is not a streamer setting and is ignored; did you mean STREAMER_SETTLE_DAYS?"])
    }

    @Test("combinations are checked after every source is read")
    func validation() {
        #expect(
            problem(.run, ["--interval-start", "2025-02-01", "--interval-end", "2025-01-01"])
                == "--interval-end (2025-01-01) is before --interval-start (2025-02-01)")
    }

    @Test("the log format is found for the fatal line even when resolution fails")
    func prefersJSON() throws {
        #expect(SettingsResolver.prefersJSON(arguments: ["--log-format", "json", "--settle-days", "99"], environment: [:]))
        #expect(SettingsResolver.prefersJSON(arguments: [], environment: ["STREAMER_LOG_FORMAT": "json"]))
        let path = try file("log-format = \"json\" # for the pipeline\nsettle-days = 99\n")
        #expect(SettingsResolver.prefersJSON(arguments: ["--config", path], environment: [:]))
        #expect(!SettingsResolver.prefersJSON(arguments: [], environment: [:]))
    }
}
