import AdminClient
import AdminSandbox
import Kafka
import Streamer

/// One benchmark organization: how many days of history and how many rows a day, so that
/// `claude_code_usage` and `usage_report` together hold about `targetRows` rows.
///
/// Rows per day stay fixed and the history grows with N (a bigger org backfills more days, not bigger pages):
/// `claude_code_usage` has one full API page (1,000 rows) a day, `usage_report` 32 results per daily bucket,
/// so its 31-bucket pages hold 992 rows. Every page the streamer handles is about 1,000 rows whatever N is.
struct Scenario: Sendable {
    /// `claude_code_usage` rows per day (one page: the endpoint's maximum `limit`).
    static let claudeCodeRowsPerDay = 1_000
    /// `usage_report` results per daily bucket.
    static let usageResultsPerBucket = 32
    /// Rows of both tables per day.
    static let rowsPerDay = claudeCodeRowsPerDay + usageResultsPerBucket
    /// Partitions of every topic (the mock cluster keeps only ~5 MB per partition).
    static let partitions = 16

    let targetRows: Int
    let today: CalendarDay

    var days: Int { max(1, Int((Double(targetRows) / Double(Self.rowsPerDay)).rounded())) }
    var rows: Int { days * Self.rowsPerDay }
    var historyStart: CalendarDay { today.adding(days: -(days - 1)) }

    var sandboxConfiguration: SandboxConfiguration {
        var configuration = SandboxConfiguration()
        configuration.today = today
        configuration.historyStart = historyStart
        configuration.users = 50
        configuration.apiKeys = 20
        configuration.workspaces = 5
        configuration.claudeCodeRowsPerDay = Self.claudeCodeRowsPerDay
        configuration.usageResultsPerBucket = Self.usageResultsPerBucket
        return configuration
    }

    var apiKey: APIKey {
        get throws { try APIKey(sandboxConfiguration.adminKey) }
    }

    /// The streamer's configuration for a backfill of the two tables against `baseURL` and `bootstrap`.
    func streamerConfiguration(
        baseURL: String, bootstrap: String, mode: StreamerConfiguration.DeliveryMode
    ) -> StreamerConfiguration {
        var configuration = StreamerConfiguration()
        configuration.admin.baseURL = baseURL
        configuration.kafka = KafkaConfiguration(bootstrapServers: bootstrap)
        configuration.delivery = mode
        configuration.tables = [.claudeCodeUsage, .usageReport]
        configuration.intervalStart = historyStart
        configuration.intervalEnd = today
        configuration.requestsPerSecond = 1_000  // the budget lifted: the sandbox has no limit
        configuration.requestBurst = 1_000
        // Lifted with it: the default 6 MiB sustains ~72k rows/s, more than the default 40 requests/s fetch, but not
        // what 1,000 requests/s can (the README's advice to anyone raising the request ceiling).
        configuration.maxBufferedBytes = Self.pageBudgetMiB << 20
        configuration.brokerConnectTimeout = .seconds(20)
        return configuration
    }

    /// The streamer's `--max-buffered-mib` in these runs (the default is 6).
    static let pageBudgetMiB = 20

    /// The topics to create before a run: both tables and the checkpoint topic (and kcat's).
    static var topics: [String] {
        var names: [String] = []
        let configuration = StreamerConfiguration()
        names.append(configuration.topic(for: .claudeCodeUsage))
        names.append(configuration.topic(for: .usageReport))
        names.append(configuration.effectiveCheckpointTopic)
        names.append(configuration.effectiveStateTopic)
        names.append(kcatTopic)
        names.append(contentsOf: ["python.claude_code_usage", "python.usage_report"])
        return names
    }

    /// The topic `kcat -P` produces every event to.
    static let kcatTopic = "anthropic.kcat_ceiling"
}
