import Kafka
import Logging
import Synchronization

/// A log handler that keeps every entry in memory (KafkaTests has no InMemoryLogging dependency).
struct RecordingLogHandler: LogHandler {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: String
    }

    final class Store: Sendable {
        let entries = Mutex<[Entry]>([])
        var all: [Entry] { entries.withLock { $0 } }
    }

    let store: Store
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    init(store: Store) { self.store = store }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        merged.merge(event.metadata ?? [:]) { _, new in new }
        let entry = Entry(level: event.level, message: "\(event.message)", metadata: "\(merged)")
        store.entries.withLock { $0.append(entry) }
    }

    static func makeLogger() -> (Logger, Store) {
        let store = Store()
        let logger = Logger(label: "kafka.tests", factory: { _ in RecordingLogHandler(store: store) })
        return (logger, store)
    }
}

enum TestSupport {
    static let logger = Logger(label: "kafka.tests", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A configuration for the mock cluster with short reconnect back-off (the mock restarts brokers fast).
    static func configuration(_ cluster: KafkaMockCluster, transactionalID: String? = nil) -> KafkaConfiguration {
        var configuration = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        configuration.transactionalID = transactionalID
        configuration.messageTimeout = .seconds(30)
        configuration.transactionTimeout = .seconds(30)
        configuration.properties = ["reconnect.backoff.max.ms": "200", "retry.backoff.ms": "50"]
        return configuration
    }

    /// A transactional producer for the mock cluster under `transactionalID`, its transactions initialised (ready
    /// for `beginTransaction`).
    static func transactionalProducer(_ cluster: KafkaMockCluster, transactionalID: String) async throws -> KafkaProducer {
        let producer = try KafkaProducer(
            configuration: configuration(cluster, transactionalID: transactionalID), logger: logger)
        try await producer.initTransactions()
        return producer
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
    static func text<Bytes: Collection<UInt8>>(_ bytes: Bytes?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }
}

/// Java's `Utils.murmur2` (what `partitioner=murmur2_random` and Java clients use).
enum Murmur2 {
    static func hash(_ data: [UInt8]) -> Int32 {
        let seed: UInt32 = 0x9747_b28c
        let m: UInt32 = 0x5bd1_e995
        let r: UInt32 = 24
        let length = data.count
        var h = seed ^ UInt32(truncatingIfNeeded: length)
        for chunk in 0..<(length / 4) {
            let i = chunk * 4
            var k = UInt32(data[i]) | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2]) << 16 | UInt32(data[i + 3]) << 24
            k = k &* m
            k ^= k >> r
            k = k &* m
            h = h &* m
            h ^= k
        }
        let tail = length & ~3
        switch length % 4 {
        case 3:
            h ^= UInt32(data[tail + 2]) << 16
            fallthrough
        case 2:
            h ^= UInt32(data[tail + 1]) << 8
            fallthrough
        case 1:
            h ^= UInt32(data[tail])
            h = h &* m
        default: break
        }
        h ^= h >> 13
        h = h &* m
        h ^= h >> 15
        return Int32(bitPattern: h)
    }

    static func partition(_ key: [UInt8], partitions: Int32) -> Int32 {
        (hash(key) & 0x7fff_ffff) % partitions
    }
}
