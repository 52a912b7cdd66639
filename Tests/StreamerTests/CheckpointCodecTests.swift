import AdminClient
import Foundation
import Testing

@testable import Streamer

@Suite struct CheckpointCodecTests {
    @Test("a checkpoint survives a round trip")
    func roundTrip() throws {
        var checkpoint = TableCheckpoint(table: .usageReport, organizationID: "org", updatedAt: Date(timeIntervalSince1970: 1_700_000_000))
        checkpoint.published.insert(day: CalendarDay("2025-01-01")!)
        checkpoint.pendingFingerprints[CalendarDay("2025-01-03")!] = ["aa": "bb"]
        checkpoint.inProgress = [.init(start: CalendarDay("2025-01-02")!, end: CalendarDay("2025-01-04")!, nextToken: "page_x")]
        let bytes = CheckpointCodec.encode(checkpoint)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#""schema_version":1"#))
        #expect(text.contains(#""2025-01-03":{"aa":"bb"}"#))
        #expect(try CheckpointCodec.decode(bytes, key: "org/usage_report", topic: "cp") == checkpoint)
    }

    @Test("a corrupt checkpoint is a clear error, not a silent restart")
    func corrupt() {
        do {
            _ = try CheckpointCodec.decode(Array("{not json".utf8), key: "org/users", topic: "anthropic.checkpoints")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .corruptCheckpoint)
            #expect(error.reason.contains("org/users"))
            #expect(error.reason.contains("anthropic.checkpoints"))
            #expect(error.exitCode == 78)
        }
    }

    @Test("a checkpoint from a newer streamer is refused")
    func newerVersion() throws {
        let bytes = Array(#"{"schema_version":9,"table":"users","organization_id":"o","published":[],"pending_fingerprints":{},"updated_at":"2025-01-01T00:00:00Z"}"#.utf8)
        #expect(throws: StreamerError.self) { try CheckpointCodec.decode(bytes, key: "o/users", topic: "t") }
    }
}
