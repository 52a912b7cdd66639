import Testing

@testable import Kafka

/// Text out of librdkafka loses every secret value, matched on its bytes wherever it stands, and is otherwise
/// returned as it was.
@Suite struct RedactorTests {
    static let secret = "Zx9-sup3r-s3cret-Qw"

    static func redactor() -> Redactor {
        var configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:9092")
        configuration.properties = [
            "sasl.username": "streamer", "sasl.password": secret, "ssl.key.passphrase": secret + "-1",
        ]
        return Redactor(configuration: configuration)
    }

    @Test("every occurrence of a secret is replaced, the longer secret whole")
    func replacesEveryOccurrence() {
        let text = "auth \(Self.secret) failed; key \(Self.secret)-1; user streamer"
        #expect(Self.redactor().scrub(text) == "auth <redacted> failed; key <redacted>; user streamer")
    }

    @Test("a secret is found next to characters that would join it into another grapheme")
    func matchesBytesNotCharacters() {
        // U+0301 (combining acute) after the secret makes its last character "w\u{301}" for String matching.
        let text = "x\(Self.secret)\u{301}y"
        #expect(Self.redactor().scrub(text).utf8.elementsEqual("x<redacted>\u{301}y".utf8))
    }

    @Test("text without a secret comes back unchanged")
    func leavesOtherText() {
        let text = "broker 127.0.0.1:9092 down, Ünïcödé ✓"
        #expect(Self.redactor().scrub(text) == text)
    }
}
