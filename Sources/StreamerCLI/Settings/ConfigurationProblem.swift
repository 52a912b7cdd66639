import Streamer

/// A setting that was refused, with where it came from (`file:line`, `--flag`, `ENV_VAR`) in ``message``;
/// becomes ``StreamerError/Code/configuration`` (exit 78).
struct ConfigurationProblem: Error, Sendable, Equatable {
    /// One line naming the source and the problem.
    let message: String

    init(_ message: String) { self.message = message }

    /// The streamer error it becomes.
    var streamerError: StreamerError { StreamerError(code: .configuration, reason: message) }
}

/// A command-line mistake (an unknown flag, a flag of another command, a missing value): exit 64.
struct UsageProblem: Error, Sendable, Equatable {
    /// One line naming the flag and what to do.
    let message: String

    init(_ message: String) { self.message = message }
}
