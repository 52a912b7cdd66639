/// An error starting or stopping the sandbox server.
public struct SandboxError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable {
            case alreadyStarted = "already_started"
            case bindFailed = "bind_failed"
            case shutdownFailed = "shutdown_failed"
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// ``SandboxAdminAPI/start(host:port:)`` was called on a running server.
        public static let alreadyStarted = Code(.alreadyStarted)
        /// The listening socket could not be opened.
        public static let bindFailed = Code(.bindFailed)
        /// Closing the server or its event loops failed.
        public static let shutdownFailed = Code(.shutdownFailed)

        public var description: String { value.rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// A sentence saying what went wrong.
    public let reason: String
    /// Where the error was created.
    public let file: String
    /// Where the error was created.
    public let line: Int

    /// Creates an error.
    public init(code: Code, reason: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    public var description: String { "Sandbox error (\(code)): \(reason)" }
}
