import AdminClient
import Foundation
import Kafka
import Logging
import Streamer

/// Turns flags, environment and the optional settings file into a ``StreamerConfiguration`` and the key.
/// The one place where options are mapped to configuration.
struct ConfigurationResolver {
    let options: StreamerOptions
    let environment: [String: String]
    private var file: [String: String] = [:]

    init(options: StreamerOptions, environment: [String: String] = ProcessInfo.processInfo.environment) throws(StreamerError) {
        self.options = options
        self.environment = environment
        if let path = options.config ?? environment["STREAMER_CONFIG"] {
            file = try Self.readSettingsFile(path)
        }
    }

    /// A value from the flag, else the environment variable, else the settings file entry.
    private func value(_ flag: String?, env: String, file name: String) -> String? {
        if let flag { return flag }
        if let value = environment[env], !value.isEmpty { return value }
        return file[name]
    }

    /// The configuration, validated.
    func configuration() throws(StreamerError) -> StreamerConfiguration {
        var configuration = StreamerConfiguration()
        if let url = value(nil, env: "ANTHROPIC_BASE_URL", file: "base-url") { configuration.admin.baseURL = url }
        if let timeout = value(options.requestTimeout, env: "STREAMER_REQUEST_TIMEOUT", file: "request-timeout") {
            configuration.admin.timeouts.request = try DurationParser.parse(timeout, option: "--request-timeout")
        }
        let servers = value(options.bootstrapServers, env: "KAFKA_BOOTSTRAP_SERVERS", file: "bootstrap-servers")
        configuration.kafka = KafkaConfiguration(bootstrapServers: servers ?? "localhost:9092")
        if let path = value(options.kafkaPropertiesFile, env: "KAFKA_PROPERTIES_FILE", file: "kafka-properties-file") {
            do {
                configuration.kafka.properties.merge(try KafkaConfiguration.loadProperties(fromFile: path)) { $1 }
            } catch {
                throw StreamerError(code: .configuration, reason: error.reason)
            }
        }
        for property in options.kafkaProperty {
            guard let equals = property.firstIndex(of: "=") else {
                throw StreamerError(code: .configuration, reason: "--kafka-property '\(property.prefix(40))' is not key=value")
            }
            configuration.kafka.properties[String(property[..<equals])] = String(property[property.index(after: equals)...])
        }
        if let prefix = value(options.topicPrefix, env: "STREAMER_TOPIC_PREFIX", file: "topic-prefix") {
            configuration.topicPrefix = prefix
        }
        configuration.checkpointTopic = value(options.checkpointTopic, env: "STREAMER_CHECKPOINT_TOPIC", file: "checkpoint-topic")
        if let list = value(options.tables, env: "STREAMER_TABLES", file: "tables") {
            configuration.tables = try Self.tables(list)
        }
        if let start = value(options.intervalStart, env: "STREAMER_INTERVAL_START", file: "interval-start") {
            configuration.intervalStart = try IntervalBound.start(start)
        }
        if let end = value(options.intervalEnd, env: "STREAMER_INTERVAL_END", file: "interval-end") {
            configuration.intervalEnd = try IntervalBound.end(end)
        }
        if let delivery = value(options.delivery, env: "STREAMER_DELIVERY", file: "delivery") {
            guard let mode = StreamerConfiguration.DeliveryMode(rawValue: delivery) else {
                throw StreamerError(code: .configuration, reason: "--delivery must be exactly-once or at-least-once, not '\(delivery)'")
            }
            configuration.delivery = mode
        }
        if let id = value(options.transactionalId, env: "STREAMER_TRANSACTIONAL_ID", file: "transactional-id") {
            configuration.transactionalIDPrefix = id
        }
        if let days = try int(options.settleDays, env: "STREAMER_SETTLE_DAYS", file: "settle-days") {
            configuration.settleDays = days
        }
        if let interval = value(options.pollInterval, env: "STREAMER_POLL_INTERVAL", file: "poll-interval") {
            configuration.pollInterval = try DurationParser.parse(interval, option: "--poll-interval")
        }
        if let interval = value(options.snapshotInterval, env: "STREAMER_SNAPSHOT_INTERVAL", file: "snapshot-interval") {
            configuration.snapshotInterval = try DurationParser.parse(interval, option: "--snapshot-interval")
        }
        if let rate = value(options.requestsPerSecond.map { "\($0)" }, env: "STREAMER_REQUESTS_PER_SECOND", file: "requests-per-second") {
            guard let parsed = Double(rate) else {
                throw StreamerError(code: .configuration, reason: "--requests-per-second '\(rate)' is not a number")
            }
            configuration.requestsPerSecond = parsed
        }
        if let timeout = value(options.brokerTimeout, env: "STREAMER_BROKER_TIMEOUT", file: "broker-timeout") {
            configuration.brokerConnectTimeout = try DurationParser.parse(timeout, option: "--broker-timeout")
        }
        configuration.resnapshot = options.resnapshot
        configuration.stateTopic = value(options.stateTopic, env: "STREAMER_STATE_TOPIC", file: "state-topic")
        configuration.fromScratch = options.fromScratch || file["from-scratch"] == "true"
        if let count = try int(options.confirmDeletes, env: "STREAMER_CONFIRM_DELETES", file: "confirm-deletes") {
            configuration.confirmDeletes = count
        }
        configuration.isDryRun = options.dryRun || file["dry-run"] == "true"
        try configuration.validate()
        return configuration
    }

    private func int(_ flag: Int?, env: String, file name: String) throws(StreamerError) -> Int? {
        guard let text = value(flag.map { "\($0)" }, env: env, file: name) else { return nil }
        guard let number = Int(text) else {
            throw StreamerError(code: .configuration, reason: "\(env) / --\(name) '\(text)' is not a whole number")
        }
        return number
    }

    /// The admin key: `ANTHROPIC_ADMIN_KEY`, else the file named by `ANTHROPIC_ADMIN_KEY_FILE` (or the settings
    /// file's `admin-key-file`), else `api_key` of `ANTHROPIC_SOURCE_URI` (`anthropic://?api_key=…`).
    func apiKey() throws(StreamerError) -> APIKey {
        var secret: String? = environment["ANTHROPIC_ADMIN_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        if secret == nil, let path = environment["ANTHROPIC_ADMIN_KEY_FILE"] ?? file["admin-key-file"] {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw StreamerError(code: .configuration, reason: "cannot read the admin key file '\(path)'")
            }
            secret = text
        }
        if secret == nil, let uri = environment["ANTHROPIC_SOURCE_URI"] {
            guard let components = URLComponents(string: uri), components.scheme == "anthropic",
                let key = components.queryItems?.first(where: { $0.name == "api_key" })?.value
            else {
                throw StreamerError(
                    code: .configuration, reason: "ANTHROPIC_SOURCE_URI must look like anthropic://?api_key=sk-ant-admin…")
            }
            secret = key
        }
        guard let secret else {
            throw StreamerError(
                code: .configuration,
                reason: "no admin key: set ANTHROPIC_ADMIN_KEY (or ANTHROPIC_ADMIN_KEY_FILE) to an Admin API key (sk-ant-admin…)")
        }
        do {
            return try APIKey(secret)
        } catch {
            throw StreamerError(code: .authentication, reason: error.reason)
        }
    }

    /// The organizations of a multi-organization deployment (`--organizations FILE`), when one is configured.
    func organizations() throws(StreamerError) -> [OrganizationSpec]? {
        guard let path = value(options.organizations, env: "STREAMER_ORGANIZATIONS", file: "organizations") else { return nil }
        return try OrganizationsFile.load(path: path)
    }

    /// The consumer group id that instances share work through, when scale-out is configured.
    func groupID() -> String? {
        value(options.groupId, env: "STREAMER_GROUP_ID", file: "group-id")
    }

    /// The operations port, when one is configured.
    func metricsPort() throws(StreamerError) -> Int? {
        guard let port = try int(options.metricsPort, env: "STREAMER_METRICS_PORT", file: "metrics-port") else { return nil }
        guard (0...65535).contains(port) else {
            throw StreamerError(code: .configuration, reason: "--metrics-port must be between 0 and 65535")
        }
        return port
    }

    /// The log level and format.
    func logging() throws(StreamerError) -> (level: Logger.Level, json: Bool) {
        let levelText = value(options.logLevel, env: "STREAMER_LOG_LEVEL", file: "log-level") ?? "info"
        guard let level = Logger.Level(rawValue: levelText.lowercased()) else {
            throw StreamerError(code: .configuration, reason: "--log-level '\(levelText)' is not one of trace, debug, info, notice, warning, error, critical")
        }
        let format = value(options.logFormat, env: "STREAMER_LOG_FORMAT", file: "log-format") ?? "text"
        guard format == "text" || format == "json" else {
            throw StreamerError(code: .configuration, reason: "--log-format must be text or json, not '\(format)'")
        }
        return (level, format == "json")
    }

    static func tables(_ list: String) throws(StreamerError) -> [AdminTable] {
        var tables: [AdminTable] = []
        for name in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard let table = AdminTable(name: name) else {
                let known = AdminTable.allCases.map(\.name).joined(separator: ", ")
                throw StreamerError(code: .configuration, reason: "unknown table '\(name)'; tables are: \(known)")
            }
            if !tables.contains(table) { tables.append(table) }
        }
        return tables
    }

    static func readSettingsFile(_ path: String) throws(StreamerError) -> [String: String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw StreamerError(code: .configuration, reason: "cannot read the settings file '\(path)'")
        }
        var values: [String: String] = [:]
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw StreamerError(code: .configuration, reason: "\(path):\(number + 1): expected name = value")
            }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if ["admin-key", "api-key", "anthropic-admin-key"].contains(name) {
                throw StreamerError(
                    code: .configuration,
                    reason: "\(path):\(number + 1): keys do not belong in settings files; use admin-key-file = /path or ANTHROPIC_ADMIN_KEY")
            }
            values[name] = value
        }
        return values
    }
}
