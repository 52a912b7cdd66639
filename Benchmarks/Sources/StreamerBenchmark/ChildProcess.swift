import Foundation

/// This executable run again as a child with an internal subcommand, so each measurement has its own
/// process: its own peak RSS and CPU time.
struct ChildProcess {
    let process: Process
    private let input: Pipe
    private let output: Pipe
    private var buffer: [UInt8] = []

    /// Starts `executable arguments…` with piped standard input and output (standard error is inherited).
    init(executable: String = CommandLine.arguments[0], arguments: [String]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        input = Pipe()
        output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
    }

    /// The next line the child writes, without its newline; `nil` at end of output.
    mutating func readLine() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            let data = output.fileHandleForReading.availableData
            if data.isEmpty {
                if buffer.isEmpty { return nil }
                defer { buffer = [] }
                return String(decoding: buffer, as: UTF8.self)
            }
            buffer.append(contentsOf: data)
        }
    }

    /// Closes the child's standard input (the world child stops when it sees end of input).
    func closeInput() throws {
        try input.fileHandleForWriting.close()
    }

    /// Waits for the child, returning the last line it printed decoded as `T`.
    /// - Throws: when it failed or printed no result.
    mutating func result<T: Decodable>(_: T.Type) throws -> T {
        var last: String?
        while let line = readLine() { last = line }
        process.waitUntilExit()
        guard process.terminationStatus == 0, let last else {
            throw BenchmarkFailure("\(process.arguments?.first ?? "child") exited with \(process.terminationStatus)")
        }
        return try JSONDecoder().decode(T.self, from: Data(last.utf8))
    }
}

/// A benchmark step that failed.
struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Prints `value` as one JSON line on standard output (how a child reports to its parent).
func report(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
