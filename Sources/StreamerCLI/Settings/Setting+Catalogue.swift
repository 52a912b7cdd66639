#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Kafka
import AdminClient
import Logging
import Streamer

extension Setting {
    /// Every setting of `run`, `backfill` and `check`, in the order `--help` and the README list them.
    ///
    /// Adding an option is one entry here: name (flag and settings-file name), environment variable, the
    /// commands that accept the flag, the type (the constructor: `text`, `integer`, `number`, `duration`,
    /// `choice`, `toggle`, `pairs`) with its range, the help line and default, and the setter.
    static let catalogue: [Setting] = [
        Setting(
            "config", environment: .variable("STREAMER_CONFIG"), commands: .withState, shape: .value(placeholder: "file"),
            help: "A settings file: `name = value` lines using the names below (see README, Settings file).",
            isAllowedInFile: false
        ) { _, _ throws(SettingError) in },
        .text(
            "base-url", environment: .variable("ANTHROPIC_BASE_URL"), commands: .withState, placeholder: "url",
            help: "The Admin API's base URL.", default: "https://api.anthropic.com"
        ) { $0.streamer.admin.baseURL = $1 },
        .text(
            "admin-key-file", environment: .variable("ANTHROPIC_ADMIN_KEY_FILE"), commands: .withState, placeholder: "file",
            help: "A file holding the admin key (e.g. a mounted secret); the key itself is never a setting.",
            default: "ANTHROPIC_ADMIN_KEY"
        ) { $0.adminKeyFile = $1 },
        .text(
            "organizations", environment: .variable("STREAMER_ORGANIZATIONS"), commands: .all, placeholder: "file",
            help: "A JSON file listing several organizations, each with its key by reference (see README).",
            default: "one organization"
        ) { $0.organizationsFile = $1 },
        .text(
            "bootstrap-servers", environment: .variable("KAFKA_BOOTSTRAP_SERVERS"), commands: .withState,
            placeholder: "host:port,…", help: "Kafka bootstrap servers.", default: "localhost:9092"
        ) { $0.streamer.kafka.bootstrapServers = $1 },
        .pairs(
            "kafka-property", environment: .prefix("KAFKA_PROPERTY_"), commands: .withState,
            help: "A librdkafka property (repeatable), e.g. security.protocol=SASL_SSL. Give secrets through the environment or a file, not flags."
        ) { $0.kafkaProperties.append((name: $1, value: $2)) },
        .text(
            "kafka-properties-file", environment: .variable("KAFKA_PROPERTIES_FILE"), commands: .withState, placeholder: "file",
            help: "A librdkafka properties file (key=value lines); kafka-property entries override it."
        ) { $0.kafkaPropertiesFile = $1 },
        .text(
            "topic-prefix", environment: .variable("STREAMER_TOPIC_PREFIX"), commands: .withState, placeholder: "prefix",
            help: "Topics are <prefix>.<table>.", default: "anthropic"
        ) { $0.streamer.topicPrefix = $1 },
        .text(
            "state-topic", environment: .variable("STREAMER_STATE_TOPIC"), commands: .withState, placeholder: "topic",
            help: "The compacted row-state topic (what consumers hold, one record per live row key).",
            default: "<prefix>.state"
        ) { $0.streamer.stateTopic = $1 },
        .toggle(
            "from-scratch", environment: .variable("STREAMER_FROM_SCRATCH"), commands: .all,
            help: "Start a table that has no checkpoint even though its topic already holds events (publishes them again).",
            default: "false"
        ) { $0.streamer.fromScratch = $1 },
        .integer(
            "confirm-deletes", environment: .variable("STREAMER_CONFIRM_DELETES"), commands: .all, range: 1...100,
            help: "Consecutive listings that must agree before a mass deletion (> 20 % and > 5 rows) is carried out.",
            default: "2"
        ) { $0.streamer.confirmDeletes = $1 },
        .text(
            "organization", environment: .variable("STREAMER_ORGANIZATION"), commands: [.reset, .status],
            placeholder: "id",
            help: "reset: the organization id whose tables to reset (default: the admin key's); status: only this one.",
            default: "the admin key's / every one"
        ) { $0.organizationID = $1 },
        .toggle(
            "json", environment: .variable("STREAMER_STATUS_JSON"), commands: [.status],
            help: "Print the status as a JSON array instead of text.", default: "false"
        ) { $0.printsJSON = $1 },
        .text(
            "checkpoint-topic", environment: .variable("STREAMER_CHECKPOINT_TOPIC"), commands: .withState, placeholder: "topic",
            help: "The compacted checkpoint topic.", default: "<prefix>.checkpoints"
        ) { $0.streamer.checkpointTopic = $1 },
        Setting(
            "tables", environment: .variable("STREAMER_TABLES"), commands: .withState, shape: .value(placeholder: "a,b,…"),
            help: "Comma-separated tables to stream (see `streamer tables`).", default: "every table"
        ) { settings, text throws(SettingError) in settings.streamer.tables = try tables(text) },
        Setting(
            "interval-start", environment: .variable("STREAMER_INTERVAL_START"), commands: .all,
            shape: .value(placeholder: "date"),
            help: "First day (2024-01-01, inclusive) or RFC 3339 timestamp.", default: "checkpoint, else 2023-01-01"
        ) { settings, text throws(SettingError) in
            do { settings.streamer.intervalStart = try IntervalBound.start(text) } catch { throw SettingError(reason: "'\(text)' is neither a date (2024-12-31) nor an RFC 3339 timestamp") }
        },
        Setting(
            "interval-end", environment: .variable("STREAMER_INTERVAL_END"), commands: .all,
            shape: .value(placeholder: "date"),
            help: "Last day (inclusive) or RFC 3339 timestamp (exclusive); `run` stops polling new days after it.",
            default: "today, moving"
        ) { settings, text throws(SettingError) in
            do { settings.streamer.intervalEnd = try IntervalBound.end(text) } catch { throw SettingError(reason: "'\(text)' is neither a date (2024-12-31) nor an RFC 3339 timestamp") }
        },
        .choice(
            "delivery", environment: .variable("STREAMER_DELIVERY"), commands: .withState,
            choices: ["exactly-once": StreamerConfiguration.DeliveryMode.exactlyOnce, "at-least-once": .atLeastOnce],
            help: "Kafka transactions, or an idempotent producer with checkpoints after acknowledgement.",
            default: "exactly-once"
        ) { $0.streamer.delivery = $1 },
        .text(
            "transactional-id", environment: .variable("STREAMER_TRANSACTIONAL_ID"), commands: .withState, placeholder: "prefix",
            help: "Transactional id prefix; the organization id is appended.", default: "anthropic-admin-streamer"
        ) { $0.streamer.transactionalIDPrefix = $1 },
        Setting(
            "usage-group-by", environment: .variable("STREAMER_USAGE_GROUP_BY"), commands: .all,
            shape: .value(placeholder: "a,b,…"),
            help: "usage_report dimensions besides the seed's four: context_window, inference_geo, account_id, service_account_id, speed (each adds a column and a key field).",
            default: "none"
        ) { settings, text throws(SettingError) in
            switch UsageDimension.parseList(text) {
            case .success(let dimensions): settings.streamer.usageGroupBy = dimensions
            case .failure(let error): throw SettingError(reason: "\(error)")
            }
        },
        .integer(
            "settle-days", environment: .variable("STREAMER_SETTLE_DAYS"), commands: .all, range: 0...60,
            help: "Days a day of usage or cost keeps changing before it is final.", default: "2"
        ) { $0.streamer.settleDays = $1 },
        .duration(
            "poll-interval", environment: .variable("STREAMER_POLL_INTERVAL"), commands: [.run, .check],
            range: .seconds(1)...(.seconds(86_400)), help: "How often usage, cost and Claude Code tables are polled.",
            default: "5m"
        ) { $0.streamer.pollInterval = $1 },
        .duration(
            "snapshot-interval", environment: .variable("STREAMER_SNAPSHOT_INTERVAL"), commands: .all,
            range: .seconds(1)...(.seconds(86_400)),
            help: "How often state tables are snapshotted (backfill skips a snapshot younger than this).", default: "5m"
        ) { $0.streamer.snapshotInterval = $1 },
        .number(
            "requests-per-second", environment: .variable("STREAMER_REQUESTS_PER_SECOND"), commands: .all,
            range: 0.01...1000,
            help: "Ceiling of one key's adaptive request rate: it starts at a quarter, speeds up while answered, halves on 429/529.",
            default: "40"
        ) { $0.streamer.requestsPerSecond = $1 },
        .integer(
            "max-in-flight", environment: .variable("STREAMER_MAX_IN_FLIGHT"), commands: .all, range: 1...256,
            help: "Admin API requests in flight per key, and request series of one table read at once.", default: "8"
        ) { $0.streamer.maxInFlight = $1 },
        .integer(
            "max-buffered-mib", environment: .variable("STREAMER_MAX_BUFFERED_MIB"), commands: .all, range: 1...4096,
            help: "MiB of event bytes the pages read ahead or awaiting Kafka may hold at once (bounds memory; raise it with --requests-per-second above ~70 against a nearby API).",
            default: "6"
        ) { $0.streamer.maxBufferedBytes = $1 << 20 },
        .duration(
            "commit-interval", environment: .variable("STREAMER_COMMIT_INTERVAL"), commands: .all,
            range: .milliseconds(10)...(.seconds(60)),
            help: "Longest a Kafka transaction stays open while pages keep arriving; it commits at once when idle.",
            default: "250ms"
        ) { $0.streamer.commitInterval = $1 },
        .choice(
            "topic-layout", environment: .variable("STREAMER_TOPIC_LAYOUT"), commands: .withState,
            choices: ["per-organization": StreamerConfiguration.TopicLayout.perOrganization, "shared": .shared],
            help: "Per-organization topics, or one <prefix>.<table> for every organization with keys led by organization_id.",
            default: "per-organization"
        ) { $0.streamer.topicLayout = $1 },
        .integer(
            "max-pages-per-series", environment: .variable("STREAMER_MAX_PAGES_PER_SERIES"), commands: .all,
            range: 1...10_000_000,
            help: "A listing (one day, window or list) with more pages fails, as does one whose cursor repeats.",
            default: "100000"
        ) { $0.streamer.admin.pagination.maxPagesPerSeries = $1 },
        .toggle(
            "allow-insecure-http", environment: .variable("STREAMER_ALLOW_INSECURE_HTTP"), commands: .withState,
            help: "Allow a plain http:// base URL to a host other than loopback (the key would travel in clear).",
            default: "false"
        ) { $0.streamer.admin.allowInsecureHTTP = $1 },
        .duration(
            "request-timeout", environment: .variable("STREAMER_REQUEST_TIMEOUT"), commands: .all,
            range: .seconds(1)...(.seconds(600)), help: "Admin API request timeout.", default: "60s"
        ) { $0.streamer.admin.timeouts.request = $1 },
        .duration(
            "broker-timeout", environment: .variable("STREAMER_BROKER_TIMEOUT"), commands: .withState,
            range: .seconds(1)...(.seconds(3600)), help: "How long to wait for the brokers at start.", default: "30s"
        ) { $0.streamer.brokerConnectTimeout = $1 },
        .text(
            "group-id", environment: .variable("STREAMER_GROUP_ID"), commands: [.run, .check], placeholder: "id",
            help: "Share the work units with every `run` instance of this consumer group id.", default: "off"
        ) { $0.groupID = $1 },
        .integer(
            "metrics-port", environment: .variable("STREAMER_METRICS_PORT"), commands: [.run, .check], range: 1...65535,
            help: "Serve /metrics (Prometheus), /health and /ready on this port.", default: "off"
        ) { $0.metricsPort = $1 },
        .text(
            "metrics-host", environment: .variable("STREAMER_METRICS_HOST"), commands: [.run, .check], placeholder: "address",
            help: "The operations endpoint's address: loopback only by default; 0.0.0.0 exposes it (as docker-compose does).",
            default: "127.0.0.1"
        ) { $0.metricsHost = $1 },
        .toggle(
            "resnapshot", environment: .variable("STREAMER_RESNAPSHOT"), commands: [.run, .backfill],
            help: "Re-emit every row of the next snapshot of each state table, changed or not.", default: "false"
        ) { $0.streamer.resnapshot = $1 },
        .toggle(
            "dry-run", environment: .variable("STREAMER_DRY_RUN"), commands: .all,
            help: "Write events as JSON lines to standard output instead of Kafka.", default: "false"
        ) { $0.streamer.isDryRun = $1 },
        .toggle(
            "progress", environment: .variable("STREAMER_PROGRESS"), commands: [.backfill],
            help: "Per-table progress on standard error (redrawn on a terminal, a line every few seconds otherwise).",
            default: "true"
        ) { $0.showsProgress = $1 },
        .choice(
            "log-level", environment: .variable("STREAMER_LOG_LEVEL"), commands: .withState,
            choices: [
                "trace": Logger.Level.trace, "debug": .debug, "info": .info, "notice": .notice, "warning": .warning,
                "error": .error, "critical": .critical,
            ],
            help: "The lowest level logged.", default: "info"
        ) { $0.logLevel = $1 },
        .choice(
            "log-format", environment: .variable("STREAMER_LOG_FORMAT"), commands: .withState,
            choices: ["text": false, "json": true], help: "Human lines or one JSON object per line (fatal errors included).",
            default: "text"
        ) { $0.logsJSON = $1 },
    ]

    /// The setting called `name`.
    static func named(_ name: String) -> Setting? { catalogue.first { $0.name == name } }

    /// The tables of a comma-separated list, in order, without repeats.
    static func tables(_ list: String) throws(SettingError) -> [AdminTable] {
        var tables: [AdminTable] = []
        for name in list.split(separator: ",").map({ $0.trimmingWhitespace() }) where !name.isEmpty {
            guard let table = AdminTable(name: name) else {
                let known = AdminTable.allCases.map(\.name).joined(separator: ", ")
                throw SettingError(reason: "unknown table '\(name)'; tables are: \(known)")
            }
            if !tables.contains(table) { tables.append(table) }
        }
        guard !tables.isEmpty else { throw SettingError(reason: "no table selected") }
        return tables
    }
}
