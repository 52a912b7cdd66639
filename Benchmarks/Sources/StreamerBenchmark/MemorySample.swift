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

    /// The full `/proc/PID/smaps`, summed: resident file-backed bytes per mapped file, anonymous bytes by kind.
    static func map(pid: pid_t) -> MemoryMap? {
        guard let smaps = readProcFile("/proc/\(pid)/smaps") else { return nil }
        var map = MemoryMap()
        // The mapping being read: its file's base name (nil when anonymous), its kind of anonymous memory, Rss.
        var file: String?
        var kind = MemoryMap.Kind.other
        var rss = 0
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let first = fields.first else { continue }
            if first.contains("-"), first.first?.isHexDigit == true {
                // "start-end perms offset dev inode [path]": a path starting with "/" is a file.
                let path = fields.count >= 6 ? fields[5] : ""
                file = path.hasPrefix("/") ? String(path.split(separator: "/").last ?? "") : nil
                let bounds = first.split(separator: "-").compactMap { Int($0, radix: 16) }
                let size = bounds.count == 2 ? bounds[1] - bounds[0] : 0
                kind =
                    file != nil ? .writtenFilePages
                    : path == "[heap]" ? .heap
                    : path == "[stack]" || (path.isEmpty && size == 8 << 20) ? .stacks : .other
                rss = 0
            } else if first == "Rss:", fields.count >= 2, let kb = Int(fields[1]) {
                rss = kb * 1024
            } else if first == "Anonymous:", fields.count >= 2, let kb = Int(fields[1]) {
                // Anonymous comes after Rss: the mapping's resident bytes are complete.
                map.anonymous[kind, default: 0] += kb * 1024
                if let file { map.fileBacked[file, default: 0] += rss - kb * 1024 }
            }
        }
        return map
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

/// A process's mappings at one moment, from `/proc/PID/smaps`.
struct MemoryMap: Sendable {
    /// What anonymous memory is, by where it is mapped.
    enum Kind: String, Sendable, CaseIterable {
        /// The brk heap: with one malloc arena (MemoryTuning), every allocation below the mmap threshold.
        case heap = "malloc heap (brk: allocations below 128 KiB)"
        /// Unnamed mappings: malloc's blocks of 128 KiB and more, other arenas, librdkafka's and Swift's own mmaps.
        case other = "other anonymous mappings (malloc blocks >= 128 KiB, other arenas)"
        /// 8 MiB mappings and the main stack.
        case stacks = "thread stacks"
        /// Copy-on-write pages of mapped files: relocated pointers, .data, GOT.
        case writtenFilePages = "written pages of mapped files (relocations, .data)"
    }

    /// Resident file-backed bytes per mapped file (by base name).
    var fileBacked: [String: Int] = [:]
    /// Anonymous resident bytes by kind.
    var anonymous: [Kind: Int] = [:]
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
