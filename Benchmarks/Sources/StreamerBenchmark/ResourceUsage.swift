#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// CPU time and peak resident set size of this process (`getrusage(RUSAGE_SELF)`).
struct ResourceUsage: Sendable, Codable {
    var userSeconds: Double
    var systemSeconds: Double
    /// Peak RSS so far, in bytes (`ru_maxrss` is KiB on Linux).
    var peakRSSBytes: Int

    var cpuSeconds: Double { userSeconds + systemSeconds }

    /// This process's usage, or (`children`) that of every child it has waited for.
    static func current(children: Bool = false) -> ResourceUsage {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(__rusage_who_t((children ? RUSAGE_CHILDREN : RUSAGE_SELF).rawValue), &usage)
        let rss = Int(usage.ru_maxrss) * 1024
        #else
        getrusage(children ? RUSAGE_CHILDREN : RUSAGE_SELF, &usage)
        let rss = Int(usage.ru_maxrss)
        #endif
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return ResourceUsage(
            userSeconds: seconds(usage.ru_utime), systemSeconds: seconds(usage.ru_stime), peakRSSBytes: rss)
    }

    /// Bytes malloc has handed out and not had back, from glibc's `malloc_info` (every arena's system bytes less
    /// its free chunks, plus mmapped chunks); 0 where unavailable. RSS minus this is what the allocator keeps.
    static func heapInUseBytes() -> Int {
        #if canImport(Glibc)
        // malloc.h is not part of the Glibc module: look the function up.
        typealias MallocInfo = @convention(c) (Int32, UnsafeMutablePointer<FILE>?) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_info") else { return 0 }
        let path = NSTemporaryDirectory() + "/malloc-info-\(getpid()).xml"
        defer { unlink(path) }
        guard let file = fopen(path, "w") else { return 0 }
        _ = unsafeBitCast(symbol, to: MallocInfo.self)(0, file)
        fclose(file)
        guard let xml = try? String(contentsOfFile: path, encoding: .utf8) else { return 0 }
        // The document ends with the totals over every arena.
        func total(_ tag: String) -> Int {
            guard let range = xml.range(of: tag, options: .backwards) else { return 0 }
            let rest = xml[range.upperBound...]
            guard let open = rest.range(of: "size=\""), let close = rest[open.upperBound...].firstIndex(of: "\"") else {
                return 0
            }
            return Int(rest[open.upperBound..<close]) ?? 0
        }
        return total("<system type=\"current\"") - total("<total type=\"fast\"") - total("<total type=\"rest\"")
            + total("<total type=\"mmap\"")
        #else
        return 0
        #endif
    }

    /// CPU spent between `earlier` and `self`; the peak RSS stays `self`'s (it is a high-water mark).
    func since(_ earlier: ResourceUsage) -> ResourceUsage {
        ResourceUsage(
            userSeconds: userSeconds - earlier.userSeconds, systemSeconds: systemSeconds - earlier.systemSeconds,
            peakRSSBytes: peakRSSBytes)
    }
}

/// A monotonic stopwatch.
struct Stopwatch {
    private let start = ContinuousClock.now

    var seconds: Double {
        let (whole, attoseconds) = (ContinuousClock.now - start).components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}

/// CPU seconds per thread group of this process, read from `/proc/self/task/*/stat` every 100 ms so threads
/// that exit before the end (librdkafka's, once the producer closes) are still counted up to their last sample.
///
/// Groups: `librdkafka` (`rdk:*` threads), `swift` (the global executor's threads, where the pollers, HTTP
/// decoding and event encoding run), `main`, `other:<thread name>`.
final class ThreadCPUSampler: Sendable {
    private struct State {
        var ticksByThread: [Int: (name: String, ticks: Int)] = [:]
        var isRunning = true
    }

    private let state = Mutex(State())
    private let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    init() {
        let thread = Thread { [self] in
            while state.withLock({ $0.isRunning }) {
                sample()
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        thread.name = "bench-sampler"
        thread.start()
    }

    /// Stops sampling (after one last sample) and returns CPU seconds per group.
    func stop() -> [String: Double] {
        sample()
        return state.withLock { state in
            state.isRunning = false
            var groups: [String: Double] = [:]
            for (_, thread) in state.ticksByThread {
                groups[Self.group(of: thread.name), default: 0] += Double(thread.ticks) / ticksPerSecond
            }
            return groups
        }
    }

    private static func group(of name: String) -> String {
        if name.hasPrefix("rdk:") { return "librdkafka" }
        if name == "bench-sampler" { return "sampler" }
        // Dispatch's root-queue threads (`com.apple.root.default-qos…`, cut to 15 characters) run Swift's
        // global executor: the pollers, the HTTP client's decoding, event encoding.
        if name.contains("qos") { return "swift" }
        if name.hasPrefix("streamer-bench") { return "main" }
        return "other:" + name
    }

    /// Reads every thread's CPU ticks with plain POSIX calls into one reused buffer: this thread runs in the
    /// measured process, so what it costs is billed to the streamer (Foundation's file reading cost ~3 % of it).
    private func sample() {
        guard let directory = opendir("/proc/self/task") else { return }
        defer { closedir(directory) }
        var samples: [(Int, String, Int)] = []
        let capacity = 1_024
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        while let entry = readdir(directory) {
            let tid = withUnsafeBytes(of: entry.pointee.d_name) { name in
                Int(String(decoding: name.prefix { $0 != 0 }, as: UTF8.self))
            }
            guard let tid else { continue }
            let descriptor = open("/proc/self/task/\(tid)/stat", O_RDONLY)
            guard descriptor >= 0 else { continue }
            let count = read(descriptor, buffer, capacity)
            close(descriptor)
            guard count > 0 else { continue }
            let stat = UnsafeBufferPointer(start: buffer, count: count)
            guard let nameStart = stat.firstIndex(of: UInt8(ascii: "(")), let nameEnd = stat.lastIndex(of: UInt8(ascii: ")")) else {
                continue
            }
            let name = String(decoding: stat[(nameStart + 1)..<nameEnd], as: UTF8.self)
            // After "comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
            let fields = stat[(nameEnd + 1)...].split(separator: UInt8(ascii: " "))
            guard fields.count > 12, let user = Self.integer(fields[11]), let system = Self.integer(fields[12]) else {
                continue
            }
            samples.append((tid, name, user + system))
        }
        state.withLock { state in
            for (tid, name, ticks) in samples { state.ticksByThread[tid] = (name, ticks) }
        }
    }

    private static func integer(_ digits: Slice<UnsafeBufferPointer<UInt8>>) -> Int? {
        var value = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            value = value &* 10 &+ Int(digit - UInt8(ascii: "0"))
        }
        return digits.isEmpty ? nil : value
    }
}
