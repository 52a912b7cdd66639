import InMemoryLogging
import Logging
import Testing

@testable import AdminClient

/// The key never appears in descriptions, dumps, errors or log lines.
@Suite struct RedactionTests {
    @Test("the key's description, interpolation, debug description and dump are redacted")
    func keyRedacted() {
        let key = TestKeys.key
        var dumped = ""
        dump(key, to: &dumped)
        for text in [String(describing: key), "\(key)", String(reflecting: key), dumped] {
            #expect(!text.contains(TestKeys.secret))
            #expect(!text.contains("sk-ant-admin01-"))
            #expect(text.contains("<redacted>"))
        }
    }

    @Test("a client, its errors and every log line (metadata too) never contain the key")
    func clientRedacted() async throws {
        let harness = try Harness([
            .status(429, headers: ["retry-after": "1", "request-id": "req_1"]),
            .transportFailure("timed out"),
            .apiError(401, type: "authentication_error", message: "invalid x-api-key"),
        ])
        var dumped = ""
        dump(harness.client, to: &dumped)
        #expect(!dumped.contains(TestKeys.secret))
        #expect(!String(describing: harness.client).contains(TestKeys.secret))

        let error = try #require(await harness.readError(.users, .snapshot))
        #expect(error.code == .unauthorized)
        var dumpedError = ""
        dump(error, to: &dumpedError)
        for text in [error.description, error.reason, String(reflecting: error), dumpedError] {
            #expect(!text.contains(TestKeys.secret))
        }
        let entries = harness.logs.entries
        #expect(!entries.isEmpty)
        for entry in entries {
            #expect(!"\(entry.message)".contains(TestKeys.secret))
            #expect(!"\(entry.metadata)".contains(TestKeys.secret))
        }
        for request in await harness.transport.requests {
            #expect(!request.url.contains(TestKeys.secret))
        }
    }

    @Test("an invalid key's error does not echo the key")
    func invalidKeyNotEchoed() {
        let secret = "sk-ant-api03-" + String(repeating: "Zq9", count: 27)
        do {
            _ = try APIKey(secret)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidKey)
            #expect(!error.description.contains(secret))
        }
    }
}
