import Foundation
import Kafka
import Testing

@Suite struct KafkaConfigurationTests {
    static let secret = "hunter2-P4ss-9zq"

    static func secretConfiguration() -> KafkaConfiguration {
        var configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:9092")
        configuration.properties = [
            "security.protocol": "SASL_SSL",
            "sasl.mechanisms": "PLAIN",
            "sasl.username": "streamer",
            "sasl.password": secret,
            "ssl.key.password": secret + "-key",
            "ssl.keystore.password": secret + "-store",
            "sasl.oauthbearer.client.secret": secret + "-oauth",
            "ssl.key.pem": "-----BEGIN PRIVATE KEY-----abc",
        ]
        return configuration
    }

    @Test("The defaults are idempotent, acks=all, murmur2_random, linger 5 ms, lz4, bounded queue")
    func defaults() {
        var configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:9092")
        configuration.properties = ["linger.ms": "20"]
        let effective = Dictionary(uniqueKeysWithValues: configuration.redactedProperties.map { ($0.name, $0.value) })
        #expect(effective["enable.idempotence"] == "true")
        #expect(effective["acks"] == "all")
        #expect(effective["partitioner"] == "murmur2_random")
        #expect(effective["compression.type"] == "lz4")
        #expect(effective["queue.buffering.max.messages"] == "100000")
        #expect(effective["queue.buffering.max.kbytes"] == "16384", "16 MiB, not librdkafka's 1 GiB")
        #expect(effective["message.timeout.ms"] == "300000")
        #expect(effective["client.id"] == "anthropic-admin-streamer")
        #expect(effective["linger.ms"] == "20", "properties override the defaults")
        #expect(effective["transactional.id"] == nil)
        #expect(effective["message.copy.max.bytes"] == "0", "compressed requests point at the records")
    }

    @Test("Without compression librdkafka copies small records into its requests (its default): no iovec a record")
    func uncompressedRequestsCopy() {
        var configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:9092")
        configuration.compression = .none
        #expect(configuration.redactedProperties.first { $0.name == "message.copy.max.bytes" } == nil)
        var overridden = KafkaConfiguration(bootstrapServers: "127.0.0.1:9092")
        overridden.properties = ["compression.type": "none"]
        #expect(overridden.redactedProperties.first { $0.name == "message.copy.max.bytes" } == nil)
    }

    @Test("User properties are applied after the defaults, so an alias like delivery.timeout.ms wins")
    func overridesComeLast() throws {
        var configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:9092")
        configuration.properties = ["delivery.timeout.ms": "1234", "acks": "all"]
        let names = configuration.redactedProperties.map(\.name)
        let messageTimeout = try #require(names.firstIndex(of: "message.timeout.ms"))
        let deliveryTimeout = try #require(names.firstIndex(of: "delivery.timeout.ms"))
        #expect(messageTimeout < deliveryTimeout)
        #expect(names.filter { $0 == "acks" }.count == 1)
    }

    @Test("A transactional producer gets transaction.timeout.ms and a message timeout capped at it")
    func transactionalDefaults() {
        var configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:9092")
        configuration.transactionalID = "streamer-1"
        let effective = Dictionary(uniqueKeysWithValues: configuration.redactedProperties.map { ($0.name, $0.value) })
        #expect(effective["transactional.id"] == "streamer-1")
        #expect(effective["transaction.timeout.ms"] == "60000")
        #expect(effective["message.timeout.ms"] == "60000")
    }

    @Test("redactedProperties hides sasl.password and friends")
    func redaction() {
        let effective = Dictionary(
            uniqueKeysWithValues: Self.secretConfiguration().redactedProperties.map { ($0.name, $0.value) })
        for name in ["sasl.password", "ssl.key.password", "ssl.keystore.password", "sasl.oauthbearer.client.secret", "ssl.key.pem"] {
            #expect(effective[name] == "<redacted>", "\(name)")
        }
        #expect(effective["sasl.username"] == "streamer")
        #expect(!"\(Self.secretConfiguration().redactedProperties)".contains(Self.secret))
    }

    @Test("KafkaError descriptions and librdkafka log lines never contain secret values")
    func errorsHideSecrets() throws {
        var configuration = Self.secretConfiguration()
        // An invalid enum value that equals the password: librdkafka quotes the value in its error text.
        configuration.properties["security.protocol"] = Self.secret
        // Debian's librdkafka 2.0.2 is built without libcurl: it rejects sasl.oauthbearer.client.secret first.
        configuration.properties["sasl.oauthbearer.client.secret"] = nil
        let (logger, logs) = RecordingLogHandler.makeLogger()
        let error = #expect(throws: KafkaError.self) {
            _ = try KafkaProducer(configuration: configuration, logger: logger)
        }
        let thrown = try #require(error)
        #expect(thrown.code == .configuration)
        #expect(thrown.description.contains("security.protocol"))
        #expect(thrown.description.contains("<redacted>"))
        #expect(!thrown.description.contains(Self.secret))
        for entry in logs.all {
            #expect(!entry.message.contains(Self.secret))
            #expect(!entry.metadata.contains(Self.secret))
        }
    }

    @Test("A running producer's librdkafka logs (debug=conf,security) never contain secret values")
    func logsHideSecrets() async throws {
        var configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:1")
        configuration.properties = [
            "security.protocol": "SASL_PLAINTEXT", "sasl.mechanisms": "PLAIN", "sasl.username": "streamer",
            "sasl.password": Self.secret, "debug": "conf,security,broker",
        ]
        let (logger, logs) = RecordingLogHandler.makeLogger()
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        await #expect(throws: KafkaError.self) { try await producer.waitUntilReachable(timeout: .milliseconds(500)) }
        await producer.close(timeout: .milliseconds(100))
        #expect(!logs.all.isEmpty)
        for entry in logs.all {
            #expect(!entry.message.contains(Self.secret))
            #expect(!entry.metadata.contains(Self.secret))
        }
    }

    @Test("validate() rejects bad shapes without echoing secrets", arguments: [
        ("", "bootstrapServers"),
        ("localhost", "not host:port"),
        ("localhost:99999", "not host:port"),
    ])
    func validation(servers: String, expected: String) {
        let error = #expect(throws: KafkaError.self) { try KafkaConfiguration(bootstrapServers: servers).validate() }
        #expect(error?.code == .configuration)
        #expect(error?.reason.contains(expected) == true)
    }

    @Test("validate() checks the numeric ranges")
    func ranges() {
        var configuration = KafkaConfiguration(bootstrapServers: "a:1,b:2")
        #expect(throws: Never.self) { try configuration.validate() }
        configuration.maxQueuedMessages = 0
        #expect(throws: KafkaError.self) { try configuration.validate() }
        configuration.maxQueuedMessages = 10
        configuration.maxQueuedBytes = 1_000
        #expect(throws: KafkaError.self) { try configuration.validate() }
        configuration.maxQueuedBytes = 1 << 20
        configuration.compression = "brotli"
        #expect(throws: KafkaError.self) { try configuration.validate() }
        configuration.compression = .zstd
        configuration.transactionalID = ""
        #expect(throws: KafkaError.self) { try configuration.validate() }
    }

    @Test("loadProperties parses key=value, key: value, comments, blanks and continuations")
    func propertiesFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kafka-\(UUID().uuidString).properties").path
        let text = """
            # client settings
            bootstrap.servers=broker:9092
            ! another comment
              security.protocol = SASL_SSL

            sasl.jaas.config: org.apache.kafka.common.security.plain.PlainLoginModule required \\
                username="u" password="p";
            ssl.endpoint.identification.algorithm=
            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let properties = try KafkaConfiguration.loadProperties(fromFile: path)
        #expect(properties["bootstrap.servers"] == "broker:9092")
        #expect(properties["security.protocol"] == "SASL_SSL")
        #expect(properties["sasl.jaas.config"] == "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";")
        #expect(properties["ssl.endpoint.identification.algorithm"] == "")
        #expect(properties.count == 4)
    }

    @Test("loadProperties names the line of a malformed entry, not its content, and a missing file")
    func propertiesErrors() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kafka-\(UUID().uuidString).properties").path
        try "a=1\nsecret-without-separator\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: KafkaError.self) { _ = try KafkaConfiguration.loadProperties(fromFile: path) }
        #expect(error?.reason.contains("line 2") == true)
        #expect(error?.reason.contains("secret-without-separator") == false)
        let missing = #expect(throws: KafkaError.self) { _ = try KafkaConfiguration.loadProperties(fromFile: path + ".missing") }
        #expect(missing?.code == .configuration)
    }
}
