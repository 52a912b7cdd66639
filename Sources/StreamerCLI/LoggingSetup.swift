import Logging
import Streamer

/// Bootstraps swift-log once: human lines on a terminal, JSON lines with `--log-format json`.
enum LoggingSetup {
    static func bootstrap(level: Logger.Level, json: Bool) -> Logger {
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler =
                json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "streamer")
    }
}

/// Log metadata keys of the command line (dotted, lowercase).
enum LoggingKeys {
    static let warning = "streamer.warning"
    static let error = "streamer.error"
    static let errorKind = "streamer.error.kind"
    static let exitCode = "streamer.exit_code"
    static let version = "streamer.version"
    static let organizations = "streamer.organizations"
    static let brokers = "kafka.bootstrap_servers"
    static let tables = "streamer.tables"
    static let delivery = "streamer.delivery"
    static let outcome = "streamer.outcome"
}
