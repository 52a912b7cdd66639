import AdminClient
import Prometheus
import Testing

@testable import Streamer

@Suite struct KeyCollisionGuardTests {
    func user(_ id: String, name: String = "Ana") throws -> EncodedRow {
        try TableEncoder(table: .users).encodeRow(item: JSONObject([("id", .string(id)), ("name", .string(name))]))
    }

    func collisions(_ text: [UInt8]) -> Double? {
        PrometheusSamples(String(decoding: text, as: UTF8.self)).value("streamer_key_collisions_total", ["table": "users"])
    }

    @Test("rows with distinct keys pass, page after page of one series")
    func distinctKeysPass() throws {
        var keyGuard = KeyCollisionGuard(table: .users)
        try keyGuard.admit([try user("u1"), try user("u2")], series: "snapshot")
        try keyGuard.admit([try user("u3")], series: "snapshot")
    }

    @Test("two rows of one page with the same key fail the series, naming the table and the key, and are counted")
    func collisionOnOnePage() async throws {
        let rows = [try user("u1"), try user("u2"), try user("u1", name: "Other")]
        let (registry, error) = await ScopedMetrics.collect { () -> StreamerError? in
            var keyGuard = KeyCollisionGuard(table: .users)
            do throws(StreamerError) {
                try keyGuard.admit(rows, series: "snapshot")
                return nil
            } catch {
                return error
            }
        }
        let failure = try #require(error)
        #expect(failure.code == .keyCollision)
        #expect(failure.reason.contains("users"))
        #expect(failure.reason.contains(#"{"id":"u1"}"#))
        #expect(failure.reason.contains("snapshot"))
        #expect(collisions(registry.emitToBuffer()) == 1)
    }

    @Test("a key seen on an earlier page of the same series collides")
    func collisionAcrossPages() throws {
        var keyGuard = KeyCollisionGuard(table: .users)
        try keyGuard.admit([try user("u1")], series: "2025-09-01..<2025-09-02")
        let page = [try user("u2"), try user("u1")]
        #expect(throws: StreamerError.self) {
            try keyGuard.admit(page, series: "2025-09-01..<2025-09-02")
        }
    }

    @Test("the guard remembers a key by two hashes: equal bytes match, a one-byte difference does not")
    func keyHashes() {
        let key = Array(#"{"id":"u1"}"#.utf8)
        var other = key
        other[7] = UInt8(ascii: "2")
        // A key is a slice of its page's buffer: only its own bytes count, wherever it starts.
        let inPage = Array(#"{"id":"u0"}"#.utf8) + key
        #expect(KeyCollisionGuard.KeyHash(key[...]) == KeyCollisionGuard.KeyHash(inPage[11...]))
        #expect(KeyCollisionGuard.KeyHash(key[...]) != KeyCollisionGuard.KeyHash(other[...]))
        #expect(KeyCollisionGuard.KeyHash(key[...]).fnv != KeyCollisionGuard.KeyHash(other[...]).fnv)
        #expect(KeyCollisionGuard.KeyHash(key[...]).sip != KeyCollisionGuard.KeyHash(other[...]).sip)
    }

    @Test("the same key in another series is not a collision: each series starts afresh")
    func newSeriesStartsAfresh() throws {
        var keyGuard = KeyCollisionGuard(table: .users)
        try keyGuard.admit([try user("u1")], series: "2025-09-01..<2025-09-02")
        try keyGuard.admit([try user("u1")], series: "2025-09-02..<2025-09-03")
    }

    @Test("claude_code_usage: remote and local rows of one actor, terminal and day are distinct keys")
    func remoteAndLocalAreDistinct() throws {
        func row(remote: Bool) throws -> EncodedRow {
            let item = try JSONParser.parse(Array(
                #"{"date":"2025-09-01","actor":{"type":"user_actor","email_address":"a@x"},"terminal_type":"vscode","is_remote":\#(remote)}"#
                    .utf8))
            return try TableEncoder(table: .claudeCodeUsage).encodeRow(item: try #require(item.objectValue))
        }
        var keyGuard = KeyCollisionGuard(table: .claudeCodeUsage)
        try keyGuard.admit([try row(remote: false), try row(remote: true)], series: "2025-09-01..<2025-09-02")
    }
}
