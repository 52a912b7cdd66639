import AdminClient
import Kafka
import Logging

/// Checks made once at start, before anything is published, that refuse to run on state that would lose or
/// replay data silently.
enum StartupGuards {
    /// The checkpoint and state topics keep only the latest record per key: `cleanup.policy=compact`. With
    /// `delete`, retention would one day drop a checkpoint or a live row's state (a table then restarts from
    /// scratch, deletions are missed).
    ///
    /// Where the cluster cannot describe topic configs (librdkafka's mock cluster) this logs one warning and goes
    /// on.
    /// - Throws: ``StreamerError/Code/configuration`` (exit 78) naming the topic and the `kafka-configs` command
    ///   that fixes it.
    static func requireCompacted(_ topics: [String], admin: KafkaTopicAdmin, logger: Logger) async throws(KafkaError) {
        let configs: [String: [String: String]]
        do {
            configs = try await admin.topicConfigs(topics, timeout: .seconds(15))
        } catch where error.code == .unsupported {
            logger.warning(
                "The cluster cannot describe topic configs (DescribeConfigs); not checking that the checkpoint and state topics are compacted",
                metadata: [LoggingKeys.error: "\(error.reason)"])
            return
        }
        for topic in topics {
            guard let policy = configs[topic]?["cleanup.policy"] else { continue }
            if let problem = problem(topic: topic, policy: policy) { throw problem }
        }
    }

    /// Why `policy` is not acceptable for `topic`; `nil` when it is `compact`.
    static func problem(topic: String, policy: String) -> KafkaError? {
        let policies = policy.split(separator: ",").map { $0.filter { $0 != " " } }
        guard policies != ["compact"] else { return nil }
        return KafkaError(
            code: .configuration,
            reason: "topic '\(topic)' has cleanup.policy=\(policy), but checkpoints and row state must be kept for ever "
                + "(only the latest record per key): with 'delete' retention would drop them and tables would restart "
                + "from scratch. Fix it with: kafka-configs --bootstrap-server <brokers> --alter --entity-type topics "
                + "--entity-name \(topic) --add-config cleanup.policy=compact")
    }

    /// A table without a checkpoint must not start from scratch when its topic already holds committed events:
    /// the checkpoint topic was lost, renamed, or is being read with another `--checkpoint-topic`, and starting
    /// over would replay every event (a state table would also miss the deletions in between) — unless the
    /// operator says so with `--from-scratch`.
    ///
    /// Only a committed event counts (read_committed, stopping at the first one found): a kill -9 inside a
    /// table's first transaction leaves that transaction's events aborted and no checkpoint, which is a fresh
    /// start, not a lost checkpoint. Offsets cannot tell the two apart (aborted records and transaction markers
    /// take offsets too).
    /// - Throws: ``StreamerError/Code/configuration`` (exit 78) saying what to do.
    static func requireFreshTopic(
        _ identity: CheckpointIdentity, checkpointTopic: String, fromScratch: Bool, configuration: KafkaConfiguration,
        logger: Logger
    ) async throws(StreamerError) {
        let committed: ConsumedRecord?
        do {
            committed = try await KafkaTopicReader.firstRecord(
                topic: identity.topic, configuration: configuration, isolation: .readCommitted, logger: logger)
        } catch {
            throw StreamerError.kafka(error)
        }
        guard let committed else { return }
        let found = "partition \(committed.partition) offset \(committed.offset)"
        if fromScratch {
            logger.notice(
                "No checkpoint, but the topic already holds committed events: publishing the table from scratch (--from-scratch)",
                metadata: [LoggingKeys.table: "\(identity.table.name)", LoggingKeys.topic: "\(identity.topic)"])
            return
        }
        throw StreamerError(
            code: .configuration,
            reason: "table \(identity.table.name) has no checkpoint under '\(identity.key)' in topic '\(checkpointTopic)', "
                + "but its topic '\(identity.topic)' already holds committed events (one at \(found)). The checkpoint topic "
                + "may have been lost, renamed or created with cleanup.policy=delete, or --checkpoint-topic points "
                + "elsewhere. Restore it, or pass --from-scratch to publish the table again from the start (consumers "
                + "see every row again)")
    }
}
