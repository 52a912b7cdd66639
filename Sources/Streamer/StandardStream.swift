import class Foundation.FileHandle
import struct Foundation.Data

/// Standard output and standard error, for the few places that print lines (dry run, JSON logs).
public enum StandardStream: Sendable {
    case output
    case error

    /// Writes `text` unbuffered.
    public func write(_ text: String) {
        let handle = self == .output ? FileHandle.standardOutput : FileHandle.standardError
        handle.write(Data(text.utf8))
    }
}
