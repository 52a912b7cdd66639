import ArgumentParser

/// Options shared by `run`, `backfill` and `check`. Every option can also come from the environment or the
/// `--config` file (see ``ConfigurationResolver``); flags win, then environment, then the file.
struct StreamerOptions: ParsableArguments {
    @Option(help: "A settings file of `name = value` lines using these option names (env: STREAMER_CONFIG).")
    var config: String?

    @Option(help: "Kafka bootstrap servers, host:port[,host:port] (env: KAFKA_BOOTSTRAP_SERVERS; default localhost:9092).")
    var bootstrapServers: String?

    @Option(help: "Topic prefix: topics are <prefix>.<table> (env: STREAMER_TOPIC_PREFIX; default anthropic).")
    var topicPrefix: String?

    @Option(help: "The compacted checkpoint topic (env: STREAMER_CHECKPOINT_TOPIC; default <prefix>.checkpoints).")
    var checkpointTopic: String?

    @Option(help: "Comma-separated tables to stream (env: STREAMER_TABLES; default all nine; see `streamer tables`).")
    var tables: String?

    @Option(help: "First day (2024-01-01, inclusive) or RFC 3339 timestamp (default 2023-01-01 when no checkpoint).")
    var intervalStart: String?

    @Option(help: "Last day (2024-12-31, inclusive) or RFC 3339 timestamp (exclusive) (default today).")
    var intervalEnd: String?

    @Option(help: "exactly-once (Kafka transactions) or at-least-once (env: STREAMER_DELIVERY; default exactly-once).")
    var delivery: String?

    @Option(help: "Transactional id prefix; the organization id is appended (env: STREAMER_TRANSACTIONAL_ID; default anthropic-admin-streamer).")
    var transactionalId: String?

    @Option(help: "A librdkafka property, key=value (repeatable), e.g. security.protocol=SASL_SSL.")
    var kafkaProperty: [String] = []

    @Option(help: "A librdkafka properties file (key=value lines) (env: KAFKA_PROPERTIES_FILE).")
    var kafkaPropertiesFile: String?

    @Option(help: "Days a day of data keeps changing before it is final (env: STREAMER_SETTLE_DAYS; default 2).")
    var settleDays: Int?

    @Option(help: "How often usage and cost tables are re-polled, e.g. 5m (env: STREAMER_POLL_INTERVAL; default 5m).")
    var pollInterval: String?

    @Option(help: "How often state tables are snapshotted, e.g. 5m (env: STREAMER_SNAPSHOT_INTERVAL; default 5m).")
    var snapshotInterval: String?

    @Option(help: "Admin API request budget for the key (env: STREAMER_REQUESTS_PER_SECOND; default 5).")
    var requestsPerSecond: Double?

    @Option(help: "Admin API request timeout, e.g. 60s (env: STREAMER_REQUEST_TIMEOUT; default 60s).")
    var requestTimeout: String?

    @Option(help: "How long to wait for the brokers at start, e.g. 30s (env: STREAMER_BROKER_TIMEOUT; default 30s).")
    var brokerTimeout: String?

    @Option(help: "A JSON file listing several organizations, each with its key by reference (env: STREAMER_ORGANIZATIONS; see README).")
    var organizations: String?

    @Option(help: "run: share the work units with every instance of this consumer group id (env: STREAMER_GROUP_ID).")
    var groupId: String?

    @Option(help: "Serve /metrics (Prometheus), /health and /ready on this port (env: STREAMER_METRICS_PORT; default off).")
    var metricsPort: Int?

    @Option(help: "The compacted row state topic (env: STREAMER_STATE_TOPIC; default <prefix>.state).")
    var stateTopic: String?

    @Flag(help: "Start tables that have no checkpoint even when their topic already holds events (publishes them again).")
    var fromScratch = false

    @Option(help: "Listings that must agree before a mass deletion is carried out (env: STREAMER_CONFIRM_DELETES; default 2).")
    var confirmDeletes: Int?

    @Flag(help: "Re-emit every row of the next snapshot of each state table, changed or not.")
    var resnapshot = false

    @Flag(help: "Write events as JSON lines to standard output instead of Kafka.")
    var dryRun = false

    @Option(help: "trace, debug, info, notice, warning, error or critical (env: STREAMER_LOG_LEVEL; default info).")
    var logLevel: String?

    @Option(help: "text or json (env: STREAMER_LOG_FORMAT; default text).")
    var logFormat: String?
}
