import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The `streamer` executable run as a child process, the way users run it, so tests can kill it with
/// SIGKILL or SIGTERM at chosen moments. Standard output and error go to files the test reads.
///
/// Spawned with `posix_spawn` directly: swift-corelibs-foundation's `Process.run()` crashed (a bad pointer in
/// memmove) when suites spawned children at the same time, even one spawn at a time.
final class StreamerProcess {
    /// The child's process id.
    let pid: pid_t
    let output: URL
    let errors: URL
    /// The wait status once the child has been reaped; guarded because `isRunning` may be asked from any task.
    private let reaped = Mutex<Int32?>(nil)

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
        let executable = try Self.executable.path
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ANTHROPIC_") && !$0.key.hasPrefix("STREAMER_") && !$0.key.hasPrefix("KAFKA_") }
        env.merge(environment) { $1 }
        pid = try Self.spawn(
            executable, arguments: [executable] + arguments, environment: env.map { "\($0.key)=\($0.value)" },
            standardOutput: output.path, standardError: errors.path)
    }

    /// Starts `path` with standard input from /dev/null, the two outputs appended to files, no other descriptor
    /// inherited, and default signal handling.
    private static func spawn(
        _ path: String, arguments: [String], environment: [String], standardOutput: String, standardError: String
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, standardOutput, O_WRONLY | O_APPEND, 0)
        posix_spawn_file_actions_addopen(&actions, 2, standardError, O_WRONLY | O_APPEND, 0)
        // Sockets and files of the test process (mock brokers, sandboxes) stay out of the child. glibc's
        // closefrom action is not visible to Swift here; closing a descriptor that is no longer open is ignored.
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap(Int32.init) where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard code == 0 else {
            throw NSError(domain: NSPOSIXErrorDomain, code: Int(code), userInfo: [NSLocalizedDescriptionKey: "posix_spawn \(path)"])
        }
        return pid
    }

    /// Whether the child has not exited yet (reaps it when it has).
    var isRunning: Bool { status == nil }

    /// The child's wait status once it has exited, reaping it on the first call that sees the exit.
    private var status: Int32? {
        reaped.withLock { reaped in
            if reaped == nil {
                var status: Int32 = 0
                if waitpid(pid, &status, WNOHANG) == pid { reaped = status }
            }
            return reaped
        }
    }

    var standardOutput: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }
    var standardError: String { (try? String(contentsOf: errors, encoding: .utf8)) ?? "" }

    /// Waits until standard error holds `count` lines containing `marker` (or the process ends); returns the
    /// number seen.
    @discardableResult
    func waitForLines(containing marker: String, count: Int, timeout: Duration = .seconds(60)) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let seen = standardError.components(separatedBy: "\n").filter { $0.contains(marker) }.count
            if seen >= count || !isRunning { return seen }
            try await Task.sleep(for: .milliseconds(10))
        }
        return -1
    }

    func signal(_ number: Int32) {
        if isRunning { kill(pid, number) }
    }

    /// Waits for the process to exit and returns its status (the signal number when killed by one).
    func waitForExit(timeout: Duration = .seconds(120)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let status {
                // Exited: its exit code; killed by a signal: the signal's number (as Foundation's Process reports).
                let signal = status & 0x7F
                return signal == 0 ? (status >> 8) & 0xFF : signal
            }
            if ContinuousClock.now > deadline {
                kill(pid, SIGTERM)
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    deinit {
        // A child a failed test left behind must not outlive the suite, nor stay a zombie.
        if isRunning {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }
}
