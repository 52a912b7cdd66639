#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How to reach Kafka and how to produce: mapped onto librdkafka properties.
///
/// Effective properties, in order (later wins): `bootstrap.servers`, `client.id`, `enable.idempotence=true`,
/// `acks=all`, `partitioner=murmur2_random`, `linger.ms`, `compression.type`, `queue.buffering.max.messages`,
/// `queue.buffering.max.kbytes`, `message.timeout.ms`, `message.copy.max.bytes=0` when compressing, and for a
/// transactional producer `transactional.id` and `transaction.timeout.ms`; then everything in ``properties``
/// verbatim.
///
/// `message.copy.max.bytes=0`: librdkafka copies each record of up to 64 KB into its request before compressing
/// the request; the producer already keeps the records alive until delivered (it hands them over without a copy),
/// so the request can point at them and the compressed request is the only copy (a 1M-row backfill: ~5 MiB less
/// resident, less CPU). Without compression the request is sent as it is built, and pointing at each record would
/// cost an iovec a record, so librdkafka's default stays.
///
/// Its `description`, `debugDescription` and `dump` show every property but the secret ones (see
/// ``isSecret(propertyName:)``) as `<redacted>`.
public struct KafkaConfiguration: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// A compression codec (`compression.type`).
    public struct Compression: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
        /// The librdkafka name of the codec.
        public let rawValue: String
        /// Creates a codec from its librdkafka name (`none`, `gzip`, `snappy`, `lz4`, `zstd`).
        /// - Parameter rawValue: The codec name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// Creates a codec from its librdkafka name.
        /// - Parameter value: The codec name.
        public init(stringLiteral value: String) { self.rawValue = value }

        /// No compression.
        public static let none = Compression(rawValue: "none")
        /// gzip.
        public static let gzip = Compression(rawValue: "gzip")
        /// snappy.
        public static let snappy = Compression(rawValue: "snappy")
        /// lz4 (fast, good ratio on JSON).
        public static let lz4 = Compression(rawValue: "lz4")
        /// zstd.
        public static let zstd = Compression(rawValue: "zstd")

        static let all: Set<String> = ["none", "gzip", "snappy", "lz4", "zstd"]

        public var description: String { rawValue }
    }

    /// Comma-separated `host:port` list, e.g. `"127.0.0.1:9092,127.0.0.1:9093"`.
    public var bootstrapServers: String
    /// `client.id`. Default: `"anthropic-admin-streamer"`.
    public var clientID: String = "anthropic-admin-streamer"
    /// librdkafka properties passed through verbatim (TLS, SASL, tuning); they override every default.
    /// Default: none.
    public var properties: [String: String] = [:]
    /// `transactional.id`; when set, the producer is transactional. Default: `nil`.
    public var transactionalID: String? = nil
    /// `linger.ms`: how long to wait to fill a batch. Default: 5 ms.
    public var linger: Duration = .milliseconds(5)
    /// `compression.type`. Default: `.lz4`.
    public var compression: Compression = .lz4
    /// `message.timeout.ms` (= `delivery.timeout.ms`): how long librdkafka keeps retrying one message.
    /// For a transactional producer the effective value is capped at ``transactionTimeout`` (librdkafka
    /// refuses a larger one). Default: 300 s.
    public var messageTimeout: Duration = .seconds(300)
    /// `transaction.timeout.ms` (transactional producers only). Default: 60 s.
    public var transactionTimeout: Duration = .seconds(60)
    /// `queue.buffering.max.messages`: the bound on messages waiting in librdkafka's queue; `send` waits
    /// (back-pressure) when it is reached. Default: 100 000.
    public var maxQueuedMessages: Int = 100_000
    /// `queue.buffering.max.kbytes`: the bound on the bytes of messages waiting in librdkafka's queue;
    /// `send` waits (back-pressure) when it is reached, so a producer that outpaces the brokers holds at most
    /// this much, whatever the table's size (librdkafka's own default is 1 GiB). At least 1 MiB (an event is at
    /// most `message.max.bytes`, 1 MB by default). Default: 16 MiB.
    public var maxQueuedBytes: Int = 16 << 20

    /// Creates a configuration with defaults.
    /// - Parameter bootstrapServers: Comma-separated `host:port` list.
    public init(bootstrapServers: String) {
        self.bootstrapServers = bootstrapServers
    }

    /// `linger.ms` as whole milliseconds (a view of ``linger``).
    public var lingerMs: Int {
        get { Self.milliseconds(linger) }
        set { linger = .milliseconds(newValue) }
    }

    /// Checks ranges and shapes without contacting any broker.
    /// - Throws: `KafkaError` with code `.configuration`, naming the setting (never a secret value).
    public func validate() throws(KafkaError) {
        let servers = bootstrapServers.split(separator: ",").map { $0.trimmingWhitespace() }
        guard !servers.isEmpty, servers.allSatisfy({ !$0.isEmpty }) else {
            throw KafkaError(code: .configuration, reason: "bootstrapServers is empty: give host:port[,host:port…]")
        }
        for server in servers {
            let portText = server.split(separator: ":").last.map(String.init) ?? ""
            guard server.contains(":"), let port = Int(portText), (1...65535).contains(port) else {
                throw KafkaError(
                    code: .configuration,
                    reason: "bootstrap server '\(server)' is not host:port (port 1…65535)")
            }
        }
        guard !clientID.isEmpty else {
            throw KafkaError(code: .configuration, reason: "clientID is empty")
        }
        if let transactionalID, transactionalID.isEmpty {
            throw KafkaError(code: .configuration, reason: "transactionalID is empty: omit it or give a name")
        }
        guard (0...900_000).contains(lingerMs) else {
            throw KafkaError(code: .configuration, reason: "linger must be within 0…900000 ms, got \(lingerMs) ms")
        }
        guard Compression.all.contains(compression.rawValue) else {
            throw KafkaError(
                code: .configuration,
                reason: "compression '\(compression)' is not one of \(Compression.all.sorted().joined(separator: ", "))")
        }
        guard Self.milliseconds(messageTimeout) >= 1 else {
            throw KafkaError(code: .configuration, reason: "messageTimeout must be at least 1 ms")
        }
        guard (1_000...900_000).contains(Self.milliseconds(transactionTimeout)) else {
            throw KafkaError(
                code: .configuration,
                reason: "transactionTimeout must be within 1…900 s (brokers cap it at transaction.max.timeout.ms)")
        }
        guard (1...10_000_000).contains(maxQueuedMessages) else {
            throw KafkaError(
                code: .configuration, reason: "maxQueuedMessages must be within 1…10000000, got \(maxQueuedMessages)")
        }
        guard (1 << 20...1 << 31).contains(maxQueuedBytes) else {
            throw KafkaError(
                code: .configuration, reason: "maxQueuedBytes must be within 1 MiB…2 GiB, got \(maxQueuedBytes) bytes")
        }
        for name in properties.keys where name.trimmingWhitespace().isEmpty {
            throw KafkaError(code: .configuration, reason: "properties contain an empty property name")
        }
    }

    /// The effective librdkafka properties of a producer, in the order they are applied (defaults, then
    /// ``properties``; each group sorted by name), with the value of every secret property (see
    /// ``isSecret(propertyName:)``) replaced by `"<redacted>"`. For logs and `check`.
    public var redactedProperties: [(name: String, value: String)] {
        producerProperties.map { (name: $0.name, value: Self.isSecret($0.name) ? "<redacted>" : $0.value) }
    }

    /// Parses a Java-style properties file: `key=value` (or `key: value`) lines, `#`/`!` comments, blank lines,
    /// trailing-backslash continuations.
    /// - Parameter path: The file path.
    /// - Returns: The properties, for ``properties``.
    /// - Throws: `KafkaError` `.configuration` if the file cannot be read or a line has no `=`/`:`
    ///   (naming the line number, never its content).
    public static func loadProperties(fromFile path: String) throws(KafkaError) -> [String: String] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw KafkaError(code: .configuration, reason: "cannot read properties file '\(path)'")
        }
        return try parseProperties(text, source: path)
    }

    static func parseProperties(_ text: String, source: String) throws(KafkaError) -> [String: String] {
        var result: [String: String] = [:]
        var pending = ""
        var pendingLine = 0
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = rawLine.trimmingWhitespace()
            if line.hasSuffix("\r") { line.removeLast() }
            if pending.isEmpty {
                if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("!") { continue }
                pendingLine = offset + 1
            }
            if line.hasSuffix("\\") {
                pending += line.dropLast()
                continue
            }
            let logical = pending + line
            pending = ""
            guard let separator = logical.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw KafkaError(
                    code: .configuration,
                    reason: "properties file '\(source)' line \(pendingLine) is not key=value")
            }
            let name = logical[..<separator].trimmingWhitespace()
            let value = logical[logical.index(after: separator)...].trimmingWhitespace()
            guard !name.isEmpty else {
                throw KafkaError(
                    code: .configuration, reason: "properties file '\(source)' line \(pendingLine) has an empty key")
            }
            result[name] = value
        }
        return result
    }

    /// Whether a librdkafka property's value is secret: never logged, never in an error, a description or
    /// `check`'s output, and (the CLI warns) better not given on the command line, where `ps` shows it.
    ///
    /// Secret (case-insensitive):
    /// - any name containing `password`, `passphrase`, `secret`, `token`, `jaas`, `extensions`,
    ///   `credential`, `oauthbearer.config` or `kinit.cmd`: `sasl.password`, `ssl.key.password`,
    ///   `ssl.keystore.password`, `sasl.oauthbearer.client.secret`, `sasl.oauthbearer.config`,
    ///   `sasl.oauthbearer.extensions` (may carry tokens), `sasl.oauthbearer.token.endpoint.url`,
    ///   `sasl.jaas.config`, `sasl.kerberos.kinit.cmd` (a shell command that can embed a password);
    /// - key material given inline: every `*.pem` (`ssl.key.pem`, and also `ssl.certificate.pem` and
    ///   `ssl.ca.pem`: certificates are public, but a pasted bundle often holds the private key too), and names
    ///   ending in `.key`, `_key` or containing `keystore` other than its `.location` (`ssl_key`, `ssl.keystore.*`).
    ///
    /// Not secret: file locations (`ssl.key.location`, `ssl.keystore.location`, `ssl.certificate.location`,
    /// `ssl.ca.location`, `sasl.kerberos.keytab`): a path grants nothing by itself and helps debugging.
    /// `sasl.username` and `sasl.oauthbearer.client.id` are not secret either.
    ///
    /// - Parameter propertyName: a librdkafka property name, e.g. `sasl.password`.
    /// - Returns: `true` when its value must never be shown.
    public static func isSecret(propertyName: String) -> Bool {
        let name = propertyName.lowercased().trimmingWhitespace()
        let fragments = [
            "password", "passphrase", "secret", "token", "jaas", "extensions", "credential", "oauthbearer.config",
            "kinit.cmd",
        ]
        if fragments.contains(where: { name.contains($0) }) { return true }
        if name.hasSuffix(".location") || name.hasSuffix(".keytab") { return false }
        return name.hasSuffix(".pem") || name.hasSuffix(".key") || name.hasSuffix("_key") || name.contains("keystore")
    }

    static func isSecret(_ name: String) -> Bool { isSecret(propertyName: name) }

    /// The values of secret properties (to scrub from any librdkafka text).
    var secretValues: [String] {
        properties.filter { Self.isSecret($0.key) && !$0.value.isEmpty }.map(\.value)
    }

    /// The configuration with every secret property's value shown as `<redacted>`.
    public var description: String {
        let shown = properties.sorted { $0.key < $1.key }
            .map { "\($0.key)=\(Self.isSecret($0.key) ? "<redacted>" : $0.value)" }
        return "KafkaConfiguration(bootstrapServers: \(bootstrapServers), clientID: \(clientID), "
            + "transactionalID: \(transactionalID ?? "none"), properties: [\(shown.joined(separator: ", "))])"
    }

    /// Same as ``description``.
    public var debugDescription: String { description }

    /// What `dump` and debuggers show: the fields, secret property values as `<redacted>`.
    public var customMirror: Mirror {
        let shown = properties.sorted { $0.key < $1.key }
            .map { (key: $0.key, value: Self.isSecret($0.key) ? "<redacted>" : $0.value) }
        return Mirror(
            self,
            children: [
                "bootstrapServers": bootstrapServers, "clientID": clientID, "properties": shown,
                "transactionalID": transactionalID as Any, "linger": linger, "compression": compression,
                "messageTimeout": messageTimeout, "transactionTimeout": transactionTimeout,
                "maxQueuedMessages": maxQueuedMessages, "maxQueuedBytes": maxQueuedBytes,
            ],
            displayStyle: .struct)
    }

    /// The effective producer properties, sorted by name.
    var producerProperties: [(name: String, value: String)] {
        var merged: [String: String] = [
            "bootstrap.servers": bootstrapServers,
            "client.id": clientID,
            "enable.idempotence": "true",
            "acks": "all",
            "partitioner": "murmur2_random",
            "linger.ms": String(lingerMs),
            "compression.type": compression.rawValue,
            "queue.buffering.max.messages": String(maxQueuedMessages),
            "queue.buffering.max.kbytes": String(maxQueuedBytes / 1024),
        ]
        var messageTimeoutMs = Self.milliseconds(messageTimeout)
        if let transactionalID {
            let transactionTimeoutMs = Self.milliseconds(transactionTimeout)
            merged["transactional.id"] = transactionalID
            merged["transaction.timeout.ms"] = String(transactionTimeoutMs)
            messageTimeoutMs = min(messageTimeoutMs, transactionTimeoutMs)
        }
        merged["message.timeout.ms"] = String(messageTimeoutMs)
        let codec = properties["compression.type"] ?? properties["compression.codec"] ?? compression.rawValue
        if codec != Compression.none.rawValue { merged["message.copy.max.bytes"] = "0" }
        return Self.defaultsThenOverrides(merged, properties)
    }

    /// Defaults (sorted) followed by the user's properties (sorted), a default dropped when the user sets the
    /// same name. librdkafka applies them in this order, so the user's value wins even through an alias
    /// (`delivery.timeout.ms` after the default `message.timeout.ms`).
    static func defaultsThenOverrides(
        _ defaults: [String: String], _ overrides: [String: String]
    ) -> [(name: String, value: String)] {
        let base = defaults.filter { overrides[$0.key] == nil }.sorted { $0.key < $1.key }
        return (base + overrides.sorted { $0.key < $1.key }).map { (name: $0.key, value: $0.value) }
    }

    /// The properties of a reader (consumer): connection settings and pass-through properties, without the
    /// producer defaults.
    func consumerProperties(isolation: IsolationLevel, groupID: String) -> [(name: String, value: String)] {
        let merged: [String: String] = [
            "bootstrap.servers": bootstrapServers,
            "client.id": clientID,
            "group.id": groupID,
            "enable.auto.commit": "false",
            "enable.auto.offset.store": "false",
            "enable.partition.eof": "true",
            "auto.offset.reset": "earliest",
            "isolation.level": isolation.rawValue,
            "allow.auto.create.topics": "false",
        ]
        let producerOnly: Set<String> = [
            "enable.idempotence", "acks", "request.required.acks", "partitioner", "linger.ms", "queue.buffering.max.ms",
            "compression.type", "compression.codec", "queue.buffering.max.messages", "queue.buffering.max.kbytes",
            "message.timeout.ms", "delivery.timeout.ms", "transactional.id", "transaction.timeout.ms",
            "batch.num.messages", "batch.size", "retries", "message.send.max.retries",
        ]
        return Self.defaultsThenOverrides(merged, properties.filter { !producerOnly.contains($0.key) })
    }

    /// The properties of an admin (or metadata-only) client: connection settings and pass-through properties.
    var adminProperties: [(name: String, value: String)] {
        let defaults = ["bootstrap.servers": bootstrapServers, "client.id": clientID]
        let producerOnly: Set<String> = ["transactional.id", "transaction.timeout.ms", "enable.idempotence"]
        return Self.defaultsThenOverrides(defaults, properties.filter { !producerOnly.contains($0.key) })
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let total = Double(seconds) * 1_000 + Double(attoseconds) / 1e15
        return Int(max(min(total, Double(Int32.max)), Double(Int32.min)))
    }
}
