import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import Streamer

/// The last word of a failed command: one line on standard error (`error: …`, or a JSON log line at level
/// `critical` in JSON log mode, so a crash-looping pod explains itself in the log pipeline) and the exit code.
///
/// | exit | meaning |
/// |---|---|
/// | 1 | failed (tables not published, Kafka or Admin API failures retries could not fix) |
/// | 64 | bad usage (an unknown flag, a flag of another command) |
/// | 69 | brokers unreachable |
/// | 75 | fenced by another instance with the same transactional id |
/// | 77 | key refused or not an admin key |
/// | 78 | bad configuration (settings, files, a busy metrics port) or an unreadable checkpoint |
struct FatalReport: Sendable {
    /// One line, no secrets.
    let message: String
    /// The error kind, for the JSON line.
    let kind: String
    /// The process exit code.
    let exitCode: Int32

    init(_ error: any Error) {
        switch error {
        case let problem as UsageProblem:
            self.init(message: problem.message, kind: "usage", exitCode: 64)
        case let problem as ConfigurationProblem:
            self.init(message: problem.message, kind: "configuration", exitCode: 78)
        case let error as StreamerError:
            self.init(message: error.reason, kind: "\(error.code)", exitCode: error.exitCode)
        case let exit as ExitCode:
            self.init(message: "", kind: "exit", exitCode: exit.rawValue)
        default:
            self.init(message: String(describing: error).prefix(400).description, kind: "unexpected", exitCode: 1)
        }
    }

    init(message: String, kind: String, exitCode: Int32) {
        self.message = message
        self.kind = kind
        self.exitCode = exitCode
    }

    /// Writes the line (unless there is nothing to say) and returns the exit to throw.
    func emit(json: Bool) -> ExitCode {
        guard !message.isEmpty else { return ExitCode(exitCode) }
        if json {
            let logger = Logger(label: "streamer") { JSONLogHandler(label: $0) }
            logger.critical(
                "Fatal error",
                metadata: [
                    LoggingKeys.error: "\(message)", LoggingKeys.errorKind: "\(kind)", LoggingKeys.exitCode: "\(exitCode)",
                ])
        } else {
            StandardStream.error.write("error: \(message)\n")
        }
        return ExitCode(exitCode)
    }
}
