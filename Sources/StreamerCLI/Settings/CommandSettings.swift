import Logging
import Streamer

/// Everything a command reads from flags, environment and the settings file: the library configuration plus
/// what only the command line uses (where the key and organizations come from, logging, the operations port).
struct CommandSettings: Sendable {
    /// The streamer's configuration (validated by ``SettingsResolver`` after every setting is applied).
    var streamer = StreamerConfiguration()
    /// The file named by `admin-key-file` (`ANTHROPIC_ADMIN_KEY_FILE`). Default: none.
    var adminKeyFile: String?
    /// The `--organizations` file. Default: none (one organization from `ANTHROPIC_ADMIN_KEY`).
    var organizationsFile: String?
    /// The scale-out consumer group id (`run`). Default: none.
    var groupID: String?
    /// The operations port (`run`). Default: none.
    var metricsPort: Int?
    /// reset and status: the organization id (`--organization`).
    var organizationID: String?
    /// status: JSON instead of text (`--json`).
    var printsJSON = false
    /// The operations endpoint's address (`--metrics-host`).
    var metricsHost = "127.0.0.1"
    /// Log level. Default: `.info`.
    var logLevel: Logger.Level = .info
    /// JSON log lines instead of text. Default: `false`.
    var logsJSON = false
    /// Backfill progress on standard error. Default: `true`.
    var showsProgress = true
    /// A librdkafka properties file, read before the individual properties. Default: none.
    var kafkaPropertiesFile: String?
    /// Individual librdkafka properties in the order they were given (later wins). Default: none.
    var kafkaProperties: [(name: String, value: String)] = []
}
