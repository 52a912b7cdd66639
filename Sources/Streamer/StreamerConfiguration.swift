import AdminClient
import Kafka

#if canImport(FoundationEssentials)
import struct FoundationEssentials.Date
#else
import struct Foundation.Date
#endif

/// Everything the streamer needs to run, already validated by ``validate()``.
public struct StreamerConfiguration: Sendable {
    /// How events and checkpoints reach Kafka.
    public enum DeliveryMode: String, Sendable, Hashable, CaseIterable {
        /// Each page's events and its checkpoint in one Kafka transaction (read_committed consumers see each
        /// row version exactly once).
        case exactlyOnce = "exactly-once"
        /// Idempotent producer; the checkpoint is written after the page's events are acknowledged.
        case atLeastOnce = "at-least-once"
    }

    /// Where each organization's events go (docs/architecture.md §1.5).
    public enum TopicLayout: String, Sendable, Hashable, CaseIterable {
        /// `<prefix>.<table>` per organization (a fleet gives each organization its own prefix); keys are the
        /// table's key.
        case perOrganization = "per-organization"
        /// One `<prefix>.<table>` for every organization; keys start with `organization_id`.
        case shared
    }

    /// The Admin API client's settings (base URL, timeouts, retries).
    /// Default: ``AdminClientConfiguration/init()`` (https://api.anthropic.com).
    public var admin = AdminClientConfiguration()
    /// The brokers and producer settings. Default: `localhost:9092`.
    public var kafka = KafkaConfiguration(bootstrapServers: "localhost:9092")
    /// The tables to stream. Default: all nine.
    public var tables: [AdminTable] = AdminTable.allCases
    /// Topic names are `<topicPrefix>.<table>`. Default: `anthropic`.
    public var topicPrefix = "anthropic"
    /// Per-organization topics or one topic per table for every organization (`--topic-layout`).
    /// Default: per-organization.
    public var topicLayout: TopicLayout = .perOrganization
    /// The compacted checkpoint topic. Default: `<topicPrefix>.checkpoints`.
    public var checkpointTopic: String? = nil
    /// The compacted state topic: one record per live row key of the state tables. Default: `<topicPrefix>.state`.
    public var stateTopic: String? = nil
    /// Start tables that have no checkpoint even when their topic already holds events (they are published
    /// again from the start). Default: `false` (refuse: a lost checkpoint topic must not replay years of events).
    public var fromScratch = false
    /// Consecutive listings that must agree before a mass deletion is carried out (see ``DeletionGuard``); 1
    /// carries deletions out at once. Default: 2.
    public var confirmDeletes = 2
    /// Exactly-once (transactions) or at-least-once. Default: exactly-once.
    public var delivery: DeliveryMode = .exactlyOnce
    /// Stable transactional id prefix; the organization id is appended. Default: `anthropic-admin-streamer`.
    public var transactionalIDPrefix = "anthropic-admin-streamer"
    /// First day to read when a table has no checkpoint, or the start of an explicit interval.
    /// Default: 2023-01-01 when no interval is given.
    public var intervalStart: CalendarDay? = nil
    /// Last day to read (inclusive). Default: today (UTC).
    public var intervalEnd: CalendarDay? = nil
    /// Days that are still changing: a day is final once it is older than this many days. Default: 2.
    public var settleDays = 2
    /// How often the daily and report tables are polled for new and late data. Default: 5 minutes.
    public var pollInterval: Duration = .seconds(300)
    /// How often the six state tables are snapshotted. Default: 5 minutes.
    public var snapshotInterval: Duration = .seconds(300)
    /// The ceiling of one admin key's adaptive request budget: it starts at a quarter of this, speeds up while the
    /// API answers and halves on 429/529 (docs/architecture.md §1.2). Default: 40 requests/second, bursts of 20.
    public var requestsPerSecond: Double = 40
    /// Burst allowance of the request budget. Default: 20.
    public var requestBurst = 20
    /// Re-emit every row of the next snapshot of each state table, changed or not (for a consumer that lost its
    /// copy). Default: `false` (only changes and tombstones are emitted).
    public var resnapshot = false
    /// Write events as JSON lines to standard output instead of Kafka. Default: `false`.
    public var isDryRun = false
    /// How long to wait for the brokers at start before giving up. Default: 30 seconds.
    public var brokerConnectTimeout: Duration = .seconds(30)
    /// How many times a cycle whose pages were lost with an aborted transaction starts again. Default: 5.
    public var transactionAttempts = 5
    /// Requests in flight per admin key, and request series of one table read at once. Default: 8.
    public var maxInFlight = 8
    /// The bytes (event keys and values) of the pages a streamer's time tables hold at once, read ahead, waiting
    /// for the next transaction or being delivered (librdkafka reads them in place), across their request series
    /// (`--max-buffered-mib`): the bound on its page memory, whatever the page size. A page larger than this is
    /// still read, alone. A page weighs twice its event bytes from its request until it is decoded (its response
    /// body and span map live until then); a request unanswered after 25 ms stops counting until it arrives, so a
    /// distant API keeps `--max-in-flight` requests out whatever the bound. Default: 6 MiB. On two cores that
    /// sustains ~72k claude_code_usage rows/s, more than the default request ceiling (40 requests/s of 1,000 rows)
    /// can fetch, and holds a 1M-row backfill at ~39 MiB resident; a source allowed more requests than that wants
    /// more (20 MiB: ~105k rows/s, 66 MiB; Benchmarks/results/memory.txt).
    public var maxBufferedBytes = 6 << 20
    /// The longest a Kafka transaction stays open while pages keep arriving (`--commit-interval`); a transaction
    /// also commits as soon as no page is on its way (``CommitPolicy``). Default: 250 ms.
    public var commitInterval: Duration = .milliseconds(250)
    /// In a fleet, the organization's name (from the organizations file): per-organization gauges carry it as
    /// their `organization` dimension, so organizations do not overwrite one another's series. `nil` for a single
    /// organization (no such dimension: labels stay free of organization ids).
    public var metricsOrganization: String? = nil

    /// The longest poll or snapshot interval: 30 days.
    public static let maximumInterval: Duration = .seconds(30 * 86_400)

    /// `usage_report` dimensions grouped by besides the seed's four; each adds a column and a key field (one
    /// documented key shape per choice, see the README). Kept in ``admin`` (the client builds the requests).
    /// Default: none.
    public var usageGroupBy: [UsageDimension] {
        get { admin.usageGroupBy }
        set { admin.usageGroupBy = newValue }
    }

    /// The default first day: the source's documented default start.
    public static let defaultIntervalStart = CalendarDay(year: 2023, month: 1, day: 1)!

    /// A configuration with every default.
    public init() {}

    /// The checkpoint topic in effect.
    public var effectiveCheckpointTopic: String { checkpointTopic ?? "\(topicPrefix).checkpoints" }

    /// The state topic in effect.
    public var effectiveStateTopic: String { stateTopic ?? "\(topicPrefix).state" }

    /// The guard for mass deletions in effect.
    public var deletionGuard: DeletionGuard {
        var deletionGuard = DeletionGuard()
        deletionGuard.confirmations = confirmDeletes
        return deletionGuard
    }

    /// The topic of a table: `<prefix>.<table>`.
    public func topic(for table: AdminTable) -> String { "\(topicPrefix).\(table.name)" }

    /// What goes before a row's key fields in an event key: `{"organization_id":"…",` in the shared layout, so
    /// equal row keys of two organizations never meet in one topic; `nil` in the per-organization layout.
    public func eventKeyPrefix(organizationID: String) -> [UInt8]? {
        guard topicLayout == .shared else { return nil }
        var prefix = Array(#"{"organization_id":"#.utf8)
        JSONWriter.writeString(organizationID, into: &prefix)
        prefix.append(UInt8(ascii: ","))
        return prefix
    }

    /// The transactional id of one organization's producer.
    public func transactionalID(organizationID: String) -> String {
        "\(transactionalIDPrefix)-\(organizationID)"
    }

    /// Checks ranges and combinations.
    ///
    /// - Throws: ``StreamerError/Code/configuration`` naming the setting.
    public func validate() throws(StreamerError) {
        func fail(_ reason: String) -> StreamerError { StreamerError(code: .configuration, reason: reason) }
        if tables.isEmpty { throw fail("--tables selects no table") }
        if topicPrefix.isEmpty { throw fail("--topic-prefix must not be empty") }
        if settleDays < 0 || settleDays > 60 { throw fail("--settle-days must be between 0 and 60") }
        if pollInterval < .seconds(1) || pollInterval > Self.maximumInterval {
            throw fail("--poll-interval must be between 1 second and 30 days")
        }
        if snapshotInterval < .seconds(1) || snapshotInterval > Self.maximumInterval {
            throw fail("--snapshot-interval must be between 1 second and 30 days")
        }
        if !(requestsPerSecond >= 0.001 && requestsPerSecond <= 1000) {
            throw fail("--requests-per-second must be a number between 0.001 and 1000")
        }
        if brokerConnectTimeout < .milliseconds(1) || brokerConnectTimeout > .seconds(3600) {
            throw fail("--broker-timeout must be between 1 ms and 1 hour")
        }
        if requestBurst < 1 { throw fail("--request-burst must be at least 1") }
        if let start = intervalStart, let end = intervalEnd, end < start {
            throw fail("--interval-end (\(end)) is before --interval-start (\(start))")
        }
        if confirmDeletes < 1 || confirmDeletes > 100 { throw fail("--confirm-deletes must be between 1 and 100") }
        if effectiveStateTopic == effectiveCheckpointTopic {
            throw fail("the state topic and the checkpoint topic must differ (both are '\(effectiveStateTopic)')")
        }
        if transactionAttempts < 1 { throw fail("transaction attempts must be at least 1") }
        if maxInFlight < 1 || maxInFlight > 256 { throw fail("--max-in-flight must be between 1 and 256") }
        if maxBufferedBytes < 1 << 20 || maxBufferedBytes > 4 << 30 {
            throw fail("--max-buffered-mib must be between 1 and 4096")
        }
        if commitInterval < .milliseconds(10) || commitInterval > .seconds(60) {
            throw fail("--commit-interval must be between 10 ms and 60 s")
        }
        do { try admin.validate() } catch { throw fail(error.reason) }
        if !isDryRun {
            do { try kafka.validate() } catch { throw fail(error.reason) }
        }
    }
}
