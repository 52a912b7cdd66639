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
