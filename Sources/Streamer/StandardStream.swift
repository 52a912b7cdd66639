#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard output and standard error, for the few places that print lines (dry run, JSON logs).
///
/// Written with `write(2)` directly, not `FileHandle`, so that the `streamer` executable links
/// FoundationEssentials only (Benchmarks/results/memory.txt).
public enum StandardStream: Sendable {
    case output
    case error

    /// Writes `text` unbuffered; a closed or broken stream loses the text (as `FileHandle` did not report it
    /// either) but never stops the process.
    public func write(_ text: String) {
        let descriptor = self == .output ? STDOUT_FILENO : STDERR_FILENO
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count, let base = bytes.baseAddress {
                let written = writeBytes(descriptor, base + offset, bytes.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}

/// `write(2)`, out of the enum whose own `write` would hide it.
private func writeBytes(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
