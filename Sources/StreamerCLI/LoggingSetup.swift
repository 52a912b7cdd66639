import Logging
import Streamer

/// Bootstraps swift-log once: human lines on a terminal, JSON lines with `--log-format json`.
enum LoggingSetup {
    /// Bootstraps with the level and format the flags, environment and settings file ask for.
    static func bootstrap(from resolver: ConfigurationResolver) throws(StreamerError) -> Logger {
        let (level, json) = try resolver.logging()
        return bootstrap(level: level, json: json)
    }

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
