import AdminClient
import Foundation
import Testing

@testable import Streamer

/// Checkpoints round-trip, stay small, and are refused when forged, foreign or stale.
@Suite struct CheckpointCodecTests {
    let today = CalendarDay("2025-06-15")!
    let identity = CheckpointIdentity(organizationID: "org", table: .usageReport, topic: "anthropic.usage_report")

    func decode(_ checkpoint: TableCheckpoint, as expected: CheckpointIdentity? = nil) throws(StreamerError) -> CheckpointCodec.Loaded {
        try decode(CheckpointCodec.encode(checkpoint), as: expected)
    }

    func decode(_ bytes: [UInt8], as expected: CheckpointIdentity? = nil) throws(StreamerError) -> CheckpointCodec.Loaded {
        try CheckpointCodec.decode(
            bytes, expected: expected ?? identity, checkpointTopic: "anthropic.checkpoints", today: today)
    }

    func checkpoint(_ identity: CheckpointIdentity? = nil) -> TableCheckpoint {
        let identity = identity ?? self.identity
        return TableCheckpoint(
            table: identity.table, organizationID: identity.organizationID, topic: identity.topic,
            updatedAt: Date(timeIntervalSince1970: 1_700_000_000))
    }

    func refusal(_ body: () throws(StreamerError) -> Void) -> StreamerError? {
        do {
            try body()
            Issue.record("expected the checkpoint to be refused")
            return nil
        } catch {
            #expect(error.code == .corruptCheckpoint)
            #expect(error.exitCode == 78)
            return error
        }
    }

    @Test("a version 2 checkpoint round-trips through JSON with its identity")
    func roundTrip() throws {
        var checkpoint = checkpoint()
        checkpoint.published = [DayRange(start: CalendarDay("2025-01-01")!, end: CalendarDay("2025-01-03")!)]
        checkpoint.inProgress = [.init(start: CalendarDay("2025-01-03")!, end: CalendarDay("2025-01-04")!, nextToken: "page_2")]
        let bytes = CheckpointCodec.encode(checkpoint)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#""schema_version":2"#))
        #expect(text.contains(#""topic":"anthropic.usage_report""#))
        #expect(text.contains(#""event_schema_version":1"#))
        let loaded = try decode(bytes)
        #expect(loaded.checkpoint == checkpoint)
        #expect(loaded.legacyRows == nil)
    }

    @Test("a state table's checkpoint holds no per-row data: it stays under 4 KiB with a held deletion")
    func stateCheckpointIsSmall() throws {
        let users = CheckpointIdentity(organizationID: String(repeating: "o", count: 36), table: .workspaceMembers, topic: String(repeating: "t", count: 200))
        var checkpoint = checkpoint(users)
        checkpoint.snapshot = .init(
            generation: Int.max, lastCompletedAt: Date(timeIntervalSince1970: 1_750_000_000), lastRowCount: Int.max,
            heldDeletion: HeldDeletion(
                rows: Int.max, liveRows: Int.max, digest: "0123456789abcdef", listings: 1,
                firstHeldAt: Date(timeIntervalSince1970: 1_750_000_000)))
        let bytes = CheckpointCodec.encode(checkpoint)
        #expect(bytes.count <= 4_096)
        #expect(try decode(bytes, as: users).checkpoint == checkpoint)
    }

    @Test("an unreadable checkpoint is refused with exit 78, naming the key, the topic and the reset command")
    func unreadable() {
        let error = refusal { () throws(StreamerError) in _ = try decode(Array("{not json".utf8)) }
        #expect(error?.reason.contains("org/usage_report") == true)
        #expect(error?.reason.contains("anthropic.checkpoints") == true)
        #expect(error?.reason.contains("streamer reset --tables usage_report --organization org") == true)
    }

    @Test("a checkpoint from a newer streamer is refused, asking for an upgrade")
    func newerVersion() {
        let bytes = Array(#"{"schema_version":9,"table":"usage_report","organization_id":"org"}"#.utf8)
        let error = refusal { () throws(StreamerError) in _ = try decode(bytes) }
        #expect(error?.reason.contains("upgrade the streamer") == true)
    }

    @Test("a forged record under the right key naming another organization is refused")
    func foreignOrganization() {
        let foreign = checkpoint(CheckpointIdentity(organizationID: "other-org", table: .usageReport, topic: identity.topic))
        let error = refusal { () throws(StreamerError) in _ = try decode(foreign) }
        #expect(error?.reason.contains("other-org") == true)
    }

    @Test("a record under the right key describing another table is refused")
    func foreignTable() {
        let foreign = checkpoint(CheckpointIdentity(organizationID: "org", table: .costReport, topic: identity.topic))
        let error = refusal { () throws(StreamerError) in _ = try decode(foreign) }
        #expect(error?.reason.contains("cost_report") == true)
    }

    @Test("a topic_prefix change is detected: the checkpoint names the old topic, and the message says both ways out")
    func topicPrefixChanged() {
        let moved = CheckpointIdentity(organizationID: "org", table: .usageReport, topic: "acme.usage_report")
        let error = refusal { () throws(StreamerError) in _ = try decode(checkpoint(), as: moved) }
        #expect(error?.reason.contains("anthropic.usage_report") == true)
        #expect(error?.reason.contains("acme.usage_report") == true)
        #expect(error?.reason.contains("streamer reset") == true)
    }

    @Test("a stale checkpoint written for another event schema version is refused")
    func staleEventSchema() {
        var stale = checkpoint()
        stale.eventSchemaVersion = 0
        let error = refusal { () throws(StreamerError) in _ = try decode(stale) }
        #expect(error?.reason.contains("event schema version 0") == true)
    }

    @Test(
        "forged day ranges are refused: inverted, empty, after tomorrow, overlapping",
        arguments: [
            [("2025-01-05", "2025-01-02")], [("2025-01-05", "2025-01-05")], [("2000-01-01", "2099-12-31")],
            [("2025-01-01", "2025-01-05"), ("2025-01-03", "2025-01-08")],
        ])
    func forgedRanges(_ ranges: [(String, String)]) {
        var forged = checkpoint()
        forged.published = ranges.map { DayRange(start: CalendarDay($0.0)!, end: CalendarDay($0.1)!) }
        _ = refusal { () throws(StreamerError) in _ = try decode(forged) }
    }

    @Test("tomorrow is the last day a checkpoint may claim")
    func tomorrowIsAccepted() throws {
        var checkpoint = checkpoint()
        checkpoint.published = [DayRange(start: CalendarDay("2025-06-01")!, end: today.adding(days: 2))]
        #expect(try decode(checkpoint).checkpoint == checkpoint)
        checkpoint.published = [DayRange(start: CalendarDay("2025-06-01")!, end: today.adding(days: 3))]
        _ = refusal { () throws(StreamerError) in _ = try decode(checkpoint) }
    }

    @Test("a version 1 state-table checkpoint is upgraded: its fingerprints (the finished snapshot overlaid with the one in progress) are handed over for the state topic")
    func upgradesVersion1() throws {
        let users = CheckpointIdentity(organizationID: "org", table: .users, topic: "anthropic.users")
        let v1 = #"""
            {"schema_version":1,"table":"users","organization_id":"org","published":[],"pending_fingerprints":{},
             "snapshot":{"last_completed_at":"2025-06-14T00:00:00Z","last_row_count":2,
                         "rows":{"{\"id\":\"a\"}":"00000000000000aa","{\"id\":\"b\"}":"00000000000000bb"},
                         "pending":{"{\"id\":\"b\"}":"00000000000000b2"}},
             "updated_at":"2025-06-14T00:00:00Z"}
            """#
        let loaded = try decode(Array(v1.utf8), as: users)
        #expect(loaded.checkpoint.topic == "anthropic.users")
        #expect(loaded.checkpoint.schemaVersion == 2)
        #expect(loaded.checkpoint.snapshot?.lastRowCount == 2)
        #expect(loaded.legacyRows == [#"{"id":"a"}"#: "00000000000000aa", #"{"id":"b"}"#: "00000000000000b2"])
    }

    @Test("a version 1 checkpoint of another organization is refused like a version 2 one")
    func version1Foreign() {
        let v1 = #"{"schema_version":1,"table":"usage_report","organization_id":"x","published":[],"pending_fingerprints":{},"updated_at":"2025-06-14T00:00:00Z"}"#
        _ = refusal { () throws(StreamerError) in _ = try decode(Array(v1.utf8)) }
    }
}
