import AdminClient
import Kafka
import Logging

#if canImport(FoundationEssentials)
import struct FoundationEssentials.Date
#else
import struct Foundation.Date
#endif

/// `streamer reset`: makes the next run publish some tables of one organization again from scratch.
///
/// In one transaction of the project's own producer (so every key lands in the partition the streamer itself
/// uses — librdkafka's `murmur2_random`, as Java clients — unlike a `kcat` tombstone), it writes a tombstone for
/// every row state record of those tables and replaces each table's checkpoint with a fresh, empty one. The
/// checkpoint is replaced rather than deleted: "no checkpoint but events in the topic" is what a lost checkpoint
/// topic looks like, and the start refuses it (``StartupGuards``); an empty checkpoint says "start over" on
/// purpose. In exactly-once mode the producer uses the deployment's transactional id, so a streamer still
/// running for that organization is fenced (it stops with exit 75) and, restarted, loads the reset state.
public enum StateReset {
    /// What a reset wrote.
    public struct Outcome: Sendable, Hashable {
        /// Checkpoints replaced by empty ones.
        public var checkpoints: Int
        /// Row state records tombstoned.
        public var stateRecords: Int
    }

    /// Resets `tables` of `organizationID`.
    /// - Parameters:
    ///   - tables: The tables to publish again.
    ///   - organizationID: The organization.
    ///   - configuration: Brokers, topics, delivery mode and transactional id prefix.
    ///   - now: The checkpoints' `updated_at`.
    ///   - logger: The logger.
    /// - Returns: What was written.
    /// - Throws: ``StreamerError`` (`.configuration` for an empty table list or `--dry-run`, Kafka failures).
    public static func reset(
        tables: [AdminTable], organizationID: String, configuration: StreamerConfiguration, now: Date = Date(),
        logger: Logger
    ) async throws(StreamerError) -> Outcome {
        guard !tables.isEmpty else {
            throw StreamerError(code: .configuration, reason: "reset needs --tables: which tables to publish again")
        }
        if configuration.isDryRun {
            throw StreamerError(code: .configuration, reason: "reset writes to Kafka: leave out --dry-run")
        }
        var kafka = configuration.kafka
        if configuration.delivery == .exactlyOnce {
            kafka.transactionalID = configuration.transactionalID(organizationID: organizationID)
        }
        let scopes = Set(tables.map { StateScope(organizationID: organizationID, table: $0) })
        let store = try await RowStateStore.load(
            topic: configuration.effectiveStateTopic, scopes: scopes, configuration: configuration.kafka,
            timeout: .seconds(300), logger: logger)
        var stateRecords: [KafkaRecord] = []
        var checkpoints: [KafkaRecord] = []
        for table in tables {
            let state = store.state(for: StateScope(organizationID: organizationID, table: table))
            for key in state.keys.sorted() { stateRecords.append(state.tombstoneRecord(key: key)) }
            let settings = PollerSettings(
                topic: configuration.topic(for: table), checkpointTopic: configuration.effectiveCheckpointTopic,
                organizationID: organizationID, explicitStart: nil, explicitEnd: nil,
                defaultStart: StreamerConfiguration.defaultIntervalStart, settleDays: configuration.settleDays,
                snapshotInterval: configuration.snapshotInterval, resnapshot: false, now: { now })
            let fresh = TableCheckpoint(
                table: table, organizationID: organizationID, topic: configuration.topic(for: table), updatedAt: now)
            checkpoints.append(TablePoller.checkpointRecord(fresh, settings: settings))
        }
        let producer: KafkaProducer
        do {
            producer = try KafkaProducer(configuration: kafka, logger: logger)
        } catch {
            throw StreamerError.kafka(error)
        }
        do throws(KafkaError) {
            try await producer.waitUntilReachable(timeout: configuration.brokerConnectTimeout)
            if producer.isTransactional {
                try await producer.initTransactions()
                try await producer.beginTransaction()
                do throws(KafkaError) {
                    _ = try await producer.send(stateRecords + checkpoints)
                    try await producer.commitTransaction()
                } catch {
                    if !error.isFatal { try? await producer.abortTransaction() }
                    throw error
                }
            } else {
                // State first: a crash in between leaves the old checkpoint, and the reset can simply be run again.
                _ = try await producer.send(stateRecords)
                _ = try await producer.send(checkpoints)
            }
        } catch {
            await producer.close(timeout: .seconds(10))
            throw StreamerError.kafka(error)
        }
        await producer.close(timeout: .seconds(10))
        logger.notice(
            "Tables reset: the next run publishes them again from the start",
            metadata: [
                LoggingKeys.organizationID: "\(organizationID)",
                LoggingKeys.table: "\(tables.map(\.name).joined(separator: ","))",
                LoggingKeys.records: "\(stateRecords.count)",
            ])
        return Outcome(checkpoints: checkpoints.count, stateRecords: stateRecords.count)
    }
}

extension StateReset {
    /// The organization an admin key belongs to (`/v1/organizations/me`), for commands given no
    /// `--organization`.
    /// - Parameters:
    ///   - configuration: The Admin API settings.
    ///   - apiKey: The admin key.
    ///   - transport: HTTP transport override (tests).
    ///   - logger: The logger.
    /// - Returns: The organization id.
    /// - Throws: ``StreamerError`` (authentication, Admin API).
    public static func organizationID(
        configuration: StreamerConfiguration, apiKey: APIKey, transport: (any HTTPTransport)? = nil, logger: Logger
    ) async throws(StreamerError) -> String {
        let organization: AdminRow
        do {
            let client = try AdminClient(configuration: configuration.admin, apiKey: apiKey, transport: transport, logger: logger)
            organization = try await client.organization()
        } catch {
            throw StreamerError.admin(error)
        }
        guard let id = organization["id"]?.stringValue else {
            throw StreamerError(code: .adminAPI, reason: "/v1/organizations/me returned no organization id")
        }
        return id
    }
}
