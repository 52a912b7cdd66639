#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// One reading of a process's resident memory, from `/proc/PID/status` and `/proc/PID/smaps_rollup`.
struct MemorySample: Sendable {
    var seconds: Double
    /// VmRSS and VmHWM, bytes.
    var rss: Int
    var hwm: Int
    /// Anonymous resident bytes (heap, stacks, librdkafka's queues); the rest of the RSS is file-backed.
    var anonymous: Int
    var fileBacked: Int { rss - anonymous }

    static func read(pid: pid_t, seconds: Double) -> MemorySample? {
        guard let status = readProcFile("/proc/\(pid)/status"), let rollup = readProcFile("/proc/\(pid)/smaps_rollup"),
            let rss = kilobytes("VmRSS:", in: status), let hwm = kilobytes("VmHWM:", in: status),
            let anonymous = kilobytes("Anonymous:", in: rollup)
        else { return nil }
        return MemorySample(seconds: seconds, rss: rss * 1024, hwm: hwm * 1024, anonymous: anonymous * 1024)
    }

    /// Resident file-backed bytes per mapped file (by base name; the executable as `streamer`).
    static func fileBackedByLibrary(pid: pid_t) -> [String: Int]? {
        guard let smaps = readProcFile("/proc/\(pid)/smaps") else { return nil }
        var result: [String: Int] = [:]
        var current: String?
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let first = fields.first else { continue }
            if first.contains("-"), first.first?.isHexDigit == true {
                // "start-end perms offset dev inode [path]": a path starting with "/" is a file.
                current = fields.count >= 6 && fields[5].hasPrefix("/") ? String(fields[5].split(separator: "/").last ?? "") : nil
            } else if first == "Rss:", let current, fields.count >= 2, let kb = Int(fields[1]) {
                result[current, default: 0] += kb * 1024
            }
        }
        return result
    }

    /// The whole of a `/proc` file (they report size 0, so it is read until end of file).
    private static func readProcFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = Glibc.read(fd, &buffer, buffer.count)
            if count < 0 { return nil }
            if count == 0 { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func kilobytes(_ field: String, in text: String) -> Int? {
        guard let range = text.range(of: field) else { return nil }
        let rest = text[range.upperBound...].prefix { $0 != "\n" }
        return Int(rest.split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
    }
}

/// A child started with `posix_spawn` and reaped with `wait4`, for its exact `ru_maxrss` (Foundation's
/// `Process` reaps its children itself and cannot report it).
struct SpawnedProcess {
    let pid: pid_t

    /// Starts `executable arguments…` with `environment`, standard output to the file `standardOutput`
    /// (standard error inherited).
    init(executable: String, arguments: [String], environment: [String: String], standardOutput: String) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, standardOutput, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard result == 0 else { throw BenchmarkFailure("posix_spawn \(executable) failed: \(result)") }
        self.pid = pid
    }

    /// `true` once the child has exited (it stays a zombie until ``wait()``).
    func hasExited() -> Bool {
        var info = siginfo_t()
        let result = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
        return result != 0 || info._sifields._sigchld.si_pid == pid
    }

    /// Reaps the child: its exit status (or 128 + signal) and resource usage.
    func wait() throws -> (status: Int32, usage: rusage) {
        var status: Int32 = 0
        var usage = rusage()
        guard wait4(pid, &status, 0, &usage) == pid else { throw BenchmarkFailure("wait4 failed: \(errno)") }
        let exited = status & 0x7f == 0
        return (exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), usage)
    }
}
