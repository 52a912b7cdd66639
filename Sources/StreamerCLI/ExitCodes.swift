import ArgumentParser
import Streamer

/// Prints a streamer error as one actionable line on standard error and exits with its code.
func fail(_ error: StreamerError) -> ExitCode {
    StandardStream.error.write("error: \(error.reason)\n")
    return ExitCode(error.exitCode)
}

/// Runs `body`, turning a ``StreamerError`` into its exit code.
func withExitCodes(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as StreamerError {
        throw fail(error)
    }
}
