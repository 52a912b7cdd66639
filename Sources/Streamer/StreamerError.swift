import AdminClient
import Kafka

/// Every error the streamer throws, with the process exit code it maps to.
public struct StreamerError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable {
            case configuration, authentication, brokersUnreachable = "brokers_unreachable", fenced
            case corruptCheckpoint = "corrupt_checkpoint", kafka, adminAPI = "admin_api", tablesFailed = "tables_failed"
            case keyCollision = "key_collision"
            case tableUnavailable = "table_unavailable"
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A setting is missing or invalid.
        public static let configuration = Code(.configuration)
        /// The Admin API refused the key (401/403) or the key is not an admin key.
        public static let authentication = Code(.authentication)
        /// No broker answered within the connect timeout.
        public static let brokersUnreachable = Code(.brokersUnreachable)
        /// Another instance with the same transactional id took over.
        public static let fenced = Code(.fenced)
        /// A checkpoint value could not be read.
        public static let corruptCheckpoint = Code(.corruptCheckpoint)
        /// Kafka failed in a way retries could not fix.
        public static let kafka = Code(.kafka)
        /// The Admin API failed in a way retries could not fix.
        public static let adminAPI = Code(.adminAPI)
        /// One or more tables could not be published (backfill).
        public static let tablesFailed = Code(.tablesFailed)
        /// Two rows of one request series had the same key; the series was not published.
        public static let keyCollision = Code(.keyCollision)
        /// The organization cannot use a table (its endpoint answered 403/404): the table is switched off.
        public static let tableUnavailable = Code(.tableUnavailable)

        public var description: String { value.rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// One actionable sentence; never contains secrets.
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

    public var description: String { reason }

    /// The process exit code for this error (documented in `streamer --help` and README).
    public var exitCode: Int32 {
        switch code {
        case .configuration, .corruptCheckpoint: 78  // EX_CONFIG
        case .authentication: 77  // EX_NOPERM
        case .brokersUnreachable: 69  // EX_UNAVAILABLE
        case .fenced: 75  // EX_TEMPFAIL: another instance owns the work
        default: 1
        }
    }

    /// Wraps an Admin API error, keeping its meaning.
    static func admin(_ error: AdminClientError, table: AdminTable? = nil) -> StreamerError {
        let scope = table.map { "\($0.name): " } ?? ""
        if let table, error.isTableUnavailable {
            return StreamerError(
                code: .tableUnavailable,
                reason: "\(table.name) is not available to this organization (HTTP \(error.status.map(String.init) ?? "?") on "
                    + "\(error.endpoint ?? table.definition.path)): its platform or plan does not offer it, so the table is "
                    + "switched off for this organization; leave it out of --tables to silence this")
        }
        switch error.code {
        case .unauthorized, .forbidden, .invalidKey:
            return StreamerError(code: .authentication, reason: scope + error.description)
        case .invalidConfiguration:
            return StreamerError(code: .configuration, reason: scope + error.description)
        default:
            return StreamerError(code: .adminAPI, reason: scope + error.description)
        }
    }

    /// Wraps a Kafka error, keeping its meaning.
    static func kafka(_ error: KafkaError) -> StreamerError {
        switch error.code {
        case .fenced:
            return StreamerError(
                code: .fenced,
                reason: "\(error.reason) — another streamer instance with the same transactional id is running; stop one of them")
        case .brokersUnreachable:
            return StreamerError(code: .brokersUnreachable, reason: error.reason)
        case .configuration:
            return StreamerError(code: .configuration, reason: error.reason)
        default:
            return StreamerError(code: .kafka, reason: error.description)
        }
    }
}
