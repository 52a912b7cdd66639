/// Every error the Kafka module throws.
///
/// `reason` is a sentence saying what went wrong and what to do; it never contains secrets (SASL passwords,
/// TLS key material): values of secret properties are scrubbed from any librdkafka text before it lands here.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is. New codes may be added; switch with a `default`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable {
            case configuration
            case brokersUnreachable = "brokers_unreachable"
            case fenced
            case fatal
            case transactionAborted = "transaction_aborted"
            case retriable
            case messageTooLarge = "message_too_large"
            case unknownTopic = "unknown_topic"
            case authorization
            case authentication
            case delivery
            case timeout
            case queueFull = "queue_full"
            case consumer
            case closed
            case unsupported
            case cancelled
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The configuration is invalid (a bad property name or value, an out-of-range setting, an unreadable
        /// properties file). Fix the configuration; retrying cannot help.
        public static let configuration = Code(.configuration)
        /// No broker answered within the time allowed.
        public static let brokersUnreachable = Code(.brokersUnreachable)
        /// A newer producer with the same `transactional.id` took over; this producer is dead. Stop it.
        public static let fenced = Code(.fenced)
        /// librdkafka raised a fatal error; the producer cannot be used any more. Recreate it.
        public static let fatal = Code(.fatal)
        /// The current transaction failed in a way that needs `abortTransaction()`; then redo its work.
        public static let transactionAborted = Code(.transactionAborted)
        /// A transient failure; the same call may succeed later.
        public static let retriable = Code(.retriable)
        /// A message is larger than the producer or broker accepts (`message.max.bytes`).
        public static let messageTooLarge = Code(.messageTooLarge)
        /// The topic does not exist and the broker does not create it (`auto.create.topics.enable=false`).
        public static let unknownTopic = Code(.unknownTopic)
        /// The principal lacks an ACL for the topic, group, cluster or transactional id.
        public static let authorization = Code(.authorization)
        /// SASL or TLS authentication failed.
        public static let authentication = Code(.authentication)
        /// A message was not delivered for another reason.
        public static let delivery = Code(.delivery)
        /// An operation did not finish in the time allowed.
        public static let timeout = Code(.timeout)
        /// librdkafka's local queue is full (only surfaced where waiting is not possible).
        public static let queueFull = Code(.queueFull)
        /// Reading a topic failed.
        public static let consumer = Code(.consumer)
        /// The client was closed; undelivered messages were purged.
        public static let closed = Code(.closed)
        /// The broker (or the mock cluster) does not support the request, or the call needs a
        /// transactional producer.
        public static let unsupported = Code(.unsupported)
        /// The calling task was cancelled.
        public static let cancelled = Code(.cancelled)

        public var description: String { value.rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// A sentence saying what went wrong and what to do; never contains secrets.
    public let reason: String
    /// The raw `rd_kafka_resp_err_t` value, when librdkafka reported one.
    public let rdKafkaCode: Int32?
    /// Where the error was created.
    public let file: String
    /// Where the error was created.
    public let line: Int

    /// Creates an error.
    /// - Parameters:
    ///   - code: What kind of failure this is.
    ///   - reason: A sentence without secrets.
    ///   - rdKafkaCode: The librdkafka error code, if any.
    public init(code: Code, reason: String, rdKafkaCode: Int32? = nil, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.reason = reason
        self.rdKafkaCode = rdKafkaCode
        self.file = file
        self.line = line
    }

    /// Whether repeating the same operation later may succeed.
    public var isRetriable: Bool {
        code == .retriable || code == .brokersUnreachable || code == .timeout || code == .queueFull
    }

    /// Whether the current transaction must be aborted (and its work redone) before going on.
    public var requiresAbort: Bool { code == .transactionAborted }

    /// Whether the producer is unusable from now on (fenced or fatal): recreate it, or stop.
    public var isFatal: Bool { code == .fatal || code == .fenced }

    public var description: String {
        var text = "Kafka error (\(code)): \(reason)"
        if let rdKafkaCode { text += " [rd_kafka_resp_err_t \(rdKafkaCode)]" }
        return text
    }
}
