import AdminClient
import Kafka
import Logging

import struct Foundation.Date

extension Streamer {
    /// Builds a streamer: checks the configuration and the key (`/v1/organizations/me`), reaches the brokers,
    /// creates missing topics, fences older instances (exactly-once) and loads the checkpoints.
    ///
    /// - Parameters:
    ///   - configuration: validated here.
    ///   - apiKey: the admin key.
    ///   - transport: HTTP transport override (tests); `nil` uses URLSession.
    ///   - now: the clock. Default: the system clock.
    ///   - publisher: a publisher override (`--dry-run` passes a ``DryRunPublisher``); `nil` uses Kafka.
    ///   - shared: the producer shared by every organization of the process (a fleet); `nil` makes one for this
    ///     streamer alone.
    ///   - progress: where the pollers report a backfill's progress (days planned and done, rows); `nil` for
    ///     none.
    ///   - logger: the logger.
    /// - Throws: ``StreamerError`` whose ``StreamerError/exitCode`` tells the first problem found.
    public static func make(
        configuration: StreamerConfiguration, apiKey: APIKey, transport: (any HTTPTransport)? = nil,
        now: @escaping @Sendable () -> Date = { Date() }, publisher: (any EventPublisher)? = nil,
        shared: SharedPublishing? = nil, progress: BackfillProgress? = nil, logger: Logger
    ) async throws(StreamerError) -> Streamer {
        try configuration.validate()
        let limiter = RequestRateLimiter(
            requestsPerSecond: configuration.requestsPerSecond, burst: configuration.requestBurst, adaptive: true,
            maxInFlight: configuration.maxInFlight, logger: logger)
        let client: AdminClient
        do {
            client = try AdminClient(
                configuration: configuration.admin, apiKey: apiKey, transport: transport, rateLimiter: limiter,
                logger: logger)
        } catch {
            throw StreamerError.admin(error)
        }
        let organization: AdminRow
        do {
            organization = try await client.organization()
        } catch {
            throw StreamerError.admin(error)
        }
        guard let organizationID = organization["id"]?.stringValue else {
            throw StreamerError(code: .adminAPI, reason: "/v1/organizations/me returned no organization id")
        }
        var logger = logger
        logger[metadataKey: LoggingKeys.organizationID] = "\(organizationID)"

        let eventPublisher: any EventPublisher
        var stored: [String: [UInt8]] = [:]
        var owned: SharedPublishing? = nil
        if configuration.isDryRun || publisher != nil {
            eventPublisher = publisher ?? DryRunPublisher()
        } else if let shared {
            eventPublisher = shared.coordinator
            stored = try await shared.checkpoints(organizationID: organizationID)
        } else {
            let made = try await SharedPublishing.connect(
                configuration: configuration, topics: topicSpecifications(configuration),
                transactionalID: configuration.transactionalID(organizationID: organizationID), logger: logger)
            owned = made
            eventPublisher = made.coordinator
            stored = try await made.checkpoints(organizationID: organizationID)
        }

        var pollers: [TablePoller] = []
        for table in configuration.tables {
            let key = TableCheckpoint.key(organizationID: organizationID, table: table)
            let checkpoint = try stored[key].map { bytes throws(StreamerError) in
                try CheckpointCodec.decode(bytes, key: key, topic: configuration.effectiveCheckpointTopic)
            }
            let settings = PollerSettings(
                topic: configuration.topic(for: table),
                eventKeyPrefix: configuration.eventKeyPrefix(organizationID: organizationID), checkpointTopic: configuration.effectiveCheckpointTopic,
                organizationID: organizationID, explicitStart: configuration.intervalStart,
                explicitEnd: configuration.intervalEnd, defaultStart: StreamerConfiguration.defaultIntervalStart,
                settleDays: configuration.settleDays, snapshotInterval: configuration.snapshotInterval,
                resnapshot: configuration.resnapshot, now: now, maxConcurrentSeries: configuration.maxInFlight,
                transactionAttempts: configuration.transactionAttempts, progress: progress)
            pollers.append(
                TablePoller(
                    table: table, client: client, publisher: eventPublisher, settings: settings, checkpoint: checkpoint,
                    logger: logger))
        }
        return Streamer(
            organizationID: organizationID, configuration: configuration, pollers: pollers, publishing: owned,
            producer: owned?.producer ?? shared?.producer,
            progress: progress, now: now, logger: logger)
    }

    /// The topics the streamer writes: one per selected table (compacted: every event is keyed) and the
    /// compacted checkpoint topic.
    public static func topicSpecifications(_ configuration: StreamerConfiguration) -> [TopicSpecification] {
        var specs = configuration.tables.map { table in
            TopicSpecification(name: configuration.topic(for: table), configs: ["cleanup.policy": "compact"])
        }
        specs.append(
            TopicSpecification(name: configuration.effectiveCheckpointTopic, configs: ["cleanup.policy": "compact"]))
        return specs
    }
}
