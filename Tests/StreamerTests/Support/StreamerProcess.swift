import Foundation
import Synchronization

/// The `streamer` executable run as a child process, the way users run it, so tests can kill it with
/// SIGKILL or SIGTERM at chosen moments. Standard output and error go to files the test reads.
final class StreamerProcess {
    let process = Process()
    let output: URL
    let errors: URL

    /// The built `streamer` next to the test bundle (`swift test` builds every product).
    static var executable: URL {
        get throws {
            var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            for _ in 0..<4 {
                let candidate = directory.appendingPathComponent("streamer")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                directory = directory.deletingLastPathComponent()
            }
            let fromBuild = RepositoryFiles.root.appendingPathComponent(".build/debug/streamer")
            if FileManager.default.isExecutableFile(atPath: fromBuild.path) { return fromBuild }
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "streamer executable next to \(CommandLine.arguments[0])"])
        }
    }

    init(arguments: [String], environment: [String: String]) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("streamer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        output = directory.appendingPathComponent("stdout")
        errors = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.executableURL = try Self.executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ANTHROPIC_") && !$0.key.hasPrefix("STREAMER_") && !$0.key.hasPrefix("KAFKA_") }
        env.merge(environment) { $1 }
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardInput = FileHandle.nullDevice
        // swift-corelibs-foundation's Process.run() crashed (a bad pointer in memmove) when suites spawned
        // children concurrently: one spawn at a time.
        try Self.spawning.withLock { _ in try process.run() }
    }

    private static let spawning = Mutex<Void>(())

    var standardOutput: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }
    var standardError: String { (try? String(contentsOf: errors, encoding: .utf8)) ?? "" }

    /// Waits until standard error holds `count` lines containing `marker` (or the process ends); returns the
    /// number seen.
    @discardableResult
    func waitForLines(containing marker: String, count: Int, timeout: Duration = .seconds(60)) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let seen = standardError.components(separatedBy: "\n").filter { $0.contains(marker) }.count
            if seen >= count || !process.isRunning { return seen }
            try await Task.sleep(for: .milliseconds(10))
        }
        return -1
    }

    func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits for the process to exit and returns its status (the signal number when killed by one).
    func waitForExit(timeout: Duration = .seconds(120)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }
}
