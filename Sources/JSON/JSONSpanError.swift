/// Why a document could not be scanned: where (the JSON path and byte offset) and what was expected there.
public struct JSONSpanError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Path of the value being read when scanning stopped, e.g. `$.data[2].tokens`.
    public var path: String
    /// Byte offset into the document.
    public var offset: Int
    /// What was expected there, e.g. `"',' or '}'"`, `"no duplicate key \"id\""`, `"valid UTF-8"`.
    public var expected: String

    /// Creates an error (the scanner makes them; callers may build them for their own checks).
    ///
    /// - Parameters:
    ///   - path: the JSON path, `$`-rooted.
    ///   - offset: byte offset into the document.
    ///   - expected: what was expected there.
    public init(path: String, offset: Int, expected: String) {
        self.path = path
        self.offset = offset
        self.expected = expected
    }

    public var description: String { "at \(path) (byte \(offset)): expected \(expected)" }

    func prefixed(_ component: String) -> Self {
        var copy = self
        copy.path = component + copy.path
        return copy
    }
}
