import Foundation
import Kafka
import Testing

/// Secret librdkafka properties never show: not in descriptions, dumps, errors or logs; a refused property is
/// named, never echoed.
@Suite struct KafkaSecretPropertyTests {
    static let secret = "Zx9-sup3r-s3cret-Qw"

    @Test(
        "names holding password, passphrase, secret, token, jaas, extensions or inline key material are secret",
        arguments: [
            "sasl.password", "SASL.PASSWORD", "ssl.key.password", "ssl.keystore.password", "ssl.truststore.password",
            "ssl.key.passphrase", "sasl.oauthbearer.client.secret", "sasl.oauthbearer.config",
            "sasl.oauthbearer.extensions", "sasl.oauthbearer.token.endpoint.url", "sasl.jaas.config",
            "sasl.kerberos.kinit.cmd", "ssl.key.pem", "ssl.certificate.pem", "ssl.ca.pem", "ssl_key",
            "ssl.keystore.type", "some.plugin.credentials", "custom.api_key",
        ])
    func secretNames(name: String) {
        #expect(KafkaConfiguration.isSecret(propertyName: name))
    }

    @Test(
        "connection settings, user names and file locations are not secret",
        arguments: [
            "bootstrap.servers", "security.protocol", "sasl.mechanisms", "sasl.username", "sasl.oauthbearer.client.id",
            "ssl.key.location", "ssl.keystore.location", "ssl.certificate.location", "ssl.ca.location",
            "sasl.kerberos.keytab", "sasl.kerberos.principal", "linger.ms", "acks", "debug",
        ])
    func plainNames(name: String) {
        #expect(!KafkaConfiguration.isSecret(propertyName: name))
    }

    static func configuration() -> KafkaConfiguration {
        var configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:9092")
        configuration.properties = [
            "sasl.username": "streamer", "sasl.password": secret, "ssl.key.passphrase": secret + "-1",
            "sasl.oauthbearer.extensions": "logicalCluster=lkc-1,token=" + secret,
        ]
        return configuration
    }

    @Test("description, interpolation, debug description and dump redact secret values and keep the rest")
    func descriptionsRedacted() {
        let configuration = Self.configuration()
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in [String(describing: configuration), "\(configuration)", String(reflecting: configuration), dumped] {
            #expect(!text.contains(Self.secret), "\(text)")
            #expect(text.contains("<redacted>"))
            #expect(text.contains("streamer"), "non-secret values stay visible")
        }
    }

    @Test(
        "a refused property's error names it and never echoes its value",
        arguments: [
            ("acks", "not-an-acks-value-7781"), ("linger.ms", "soon-7781"), ("made.up.property", "value-7781"),
            ("compression.codec", "zip-7781"),
        ])
    func refusedPropertyNotEchoed(name: String, value: String) throws {
        var configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:9092")
        configuration.properties[name] = value
        let (logger, logs) = RecordingLogHandler.makeLogger()
        let error = #expect(throws: KafkaError.self) {
            _ = try KafkaProducer(configuration: configuration, logger: logger)
        }
        let thrown = try #require(error)
        #expect(thrown.code == .configuration)
        #expect(thrown.description.contains(name))
        #expect(!thrown.description.contains("7781"), "\(thrown.description)")
        for entry in logs.all {
            #expect(!entry.message.contains("7781"))
            #expect(!entry.metadata.contains("7781"))
        }
    }

    @Test("a properties file line that is not key=value is named by its number, not shown")
    func malformedFileLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kafka-\(UUID().uuidString).properties").path
        try "sasl.username=streamer\n\(Self.secret)\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: KafkaError.self) { _ = try KafkaConfiguration.loadProperties(fromFile: path) }
        #expect(error?.description.contains("line 2") == true)
        #expect(error?.description.contains(Self.secret) == false)
    }
}
