import AdminClient
import Kafka
import Logging

#if canImport(FoundationEssentials)
import struct FoundationEssentials.Date
#else
import struct Foundation.Date
#endif

extension Streamer {
    /// Builds a streamer: checks the configuration and the key (`/v1/organizations/me`), reaches the brokers,
    /// creates missing topics, checks the checkpoint and state topics are compacted, fences older instances
    /// (exactly-once), loads and checks the checkpoints and loads the row state of the state tables.
    ///
    /// - Parameters:
    ///   - configuration: validated here.
    ///   - apiKey: the admin key.
    ///   - transport: HTTP transport override (tests; a fleet shares one); `nil` makes a ``CurlTransport``.
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
            maxInFlight: configuration.maxInFlight, logger: logger,
            metricDimensions: StreamerMetrics.organizationDimensions(configuration.metricsOrganization))
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
        let stateTopic = configuration.effectiveStateTopic
        let scopes = Set(configuration.tables.map { StateScope(organizationID: organizationID, table: $0) })
        var rowStates = RowStateStore(topic: stateTopic)
        var connected: SharedPublishing? = nil
        if configuration.isDryRun || publisher != nil {
            eventPublisher = publisher ?? DryRunPublisher()
        } else if let shared {
            eventPublisher = shared.coordinator
            stored = try await shared.checkpoints(organizationID: organizationID)
            connected = shared
        } else {
            let made = try await SharedPublishing.connect(
                configuration: configuration, topics: topicSpecifications(configuration),
                transactionalID: configuration.transactionalID(organizationID: organizationID), logger: logger)
            owned = made
            eventPublisher = made.coordinator
            stored = try await made.checkpoints(organizationID: organizationID)
            connected = made
        }
        if let connected {
            do {
                rowStates = try await connected.rowStates(topic: stateTopic, scopes: scopes)
            } catch {
                await owned?.close()
                throw error
            }
        }
        // Writes made before the pollers start (a version 1 upgrade, at-least-once's first checkpoint): through the
        // coordinator when it already runs (a fleet's), in a transaction of their own when this streamer's coordinator
        // has not started yet.
        let setup = SetupWriter(owned: owned, publisher: eventPublisher)

        let today = CalendarDay(containing: now())
        var pollers: [TablePoller] = []
        let pageBudget = PageBudget(limit: configuration.maxBufferedBytes, waiters: connected?.coordinator.budgetWaiters)
        do throws(StreamerError) {
            for table in configuration.tables {
                let identity = CheckpointIdentity(
                    organizationID: organizationID, table: table, topic: configuration.topic(for: table))
                var settings = PollerSettings(
                    topic: configuration.topic(for: table),
                    eventKeyPrefix: configuration.eventKeyPrefix(organizationID: organizationID),
                    checkpointTopic: configuration.effectiveCheckpointTopic,
                    organizationID: organizationID, explicitStart: configuration.intervalStart,
                    explicitEnd: configuration.intervalEnd, defaultStart: StreamerConfiguration.defaultIntervalStart,
                    settleDays: configuration.settleDays, snapshotInterval: configuration.snapshotInterval,
                    resnapshot: configuration.resnapshot, deletionGuard: configuration.deletionGuard, now: now,
                    maxConcurrentSeries: configuration.maxInFlight, transactionAttempts: configuration.transactionAttempts,
                    pageBudget: pageBudget, progress: progress)
                settings.metricsOrganization = configuration.metricsOrganization
                var rowState = rowStates.state(for: StateScope(organizationID: organizationID, table: table))
                var checkpoint: TableCheckpoint? = nil
                if let bytes = stored[identity.key] {
                    let loaded = try CheckpointCodec.decode(
                        bytes, expected: identity, checkpointTopic: configuration.effectiveCheckpointTopic, today: today)
                    checkpoint = loaded.checkpoint
                    if let legacyRows = loaded.legacyRows {
                        // A version 1 checkpoint of a state table: its fingerprints become state records, in the same
                        // transaction as the upgraded checkpoint, before the table runs.
                        var records: [KafkaRecord] = []
                        for (key, fingerprint) in legacyRows.sorted(by: { $0.key < $1.key })
                        where rowState.fingerprint(forKey: key) != fingerprint {
                            records.append(rowState.upsertRecord(key: key, fingerprint: fingerprint))
                            rowState.set(fingerprint, forKey: key)
                        }
                        try await setup.write(
                            records, checkpoint: TablePoller.checkpointRecord(loaded.checkpoint, settings: settings),
                            source: identity.key)
                        logger.notice(
                            "Upgraded a version 1 checkpoint: its row fingerprints moved to the state topic",
                            metadata: [LoggingKeys.table: "\(table.name)", LoggingKeys.rows: "\(legacyRows.count)"])
                    }
                } else if connected != nil {
                    // In the shared layout the topic holds other organizations' events: it says nothing about this
                    // organization's lost checkpoint (a known gap, see README).
                    if configuration.topicLayout == .perOrganization {
                        try await StartupGuards.requireFreshTopic(
                            identity, checkpointTopic: configuration.effectiveCheckpointTopic,
                            fromScratch: configuration.fromScratch, configuration: configuration.kafka, logger: logger)
                    }
                    if configuration.delivery == .atLeastOnce {
                        // Without transactions a crash between a first page's events and its checkpoint would leave
                        // events without a checkpoint, which the next start refuses: write the checkpoint first.
                        let initial = TableCheckpoint(
                            table: table, organizationID: organizationID, topic: identity.topic, updatedAt: now())
                        try await setup.write(
                            [], checkpoint: TablePoller.checkpointRecord(initial, settings: settings), source: identity.key)
                        checkpoint = initial
                    }
                }
                pollers.append(
                    TablePoller(
                        table: table, client: client, publisher: eventPublisher, settings: settings, checkpoint: checkpoint,
                        rowState: rowState, logger: logger))
            }
        } catch {
            await owned?.close()
            throw error
        }
        return Streamer(
            organizationID: organizationID, configuration: configuration, pollers: pollers, publishing: owned,
            producer: owned?.producer ?? shared?.producer,
            progress: progress, now: now, logger: logger)
    }

    /// The topics the streamer writes: one per selected table (compacted: every event is keyed), the
    /// compacted checkpoint topic and the compacted state topic.
    public static func topicSpecifications(_ configuration: StreamerConfiguration) -> [TopicSpecification] {
        var specs = configuration.tables.map { table in
            TopicSpecification(name: configuration.topic(for: table), configs: ["cleanup.policy": "compact"])
        }
        specs.append(
            TopicSpecification(name: configuration.effectiveCheckpointTopic, configs: ["cleanup.policy": "compact"]))
        specs.append(TopicSpecification(name: configuration.effectiveStateTopic, configs: ["cleanup.policy": "compact"]))
        return specs
    }
}
