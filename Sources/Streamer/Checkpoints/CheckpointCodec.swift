import AdminClient

#if canImport(FoundationEssentials)
import class FoundationEssentials.JSONDecoder
import class FoundationEssentials.JSONEncoder
import struct FoundationEssentials.Data
#else
import class Foundation.JSONDecoder
import class Foundation.JSONEncoder
import struct Foundation.Data
#endif

/// Reads and writes ``TableCheckpoint`` values as JSON, and checks what it reads: identity, format version,
/// day ranges.
enum CheckpointCodec {
    /// A checkpoint read from the topic, checked.
    struct Loaded: Sendable {
        /// The checkpoint (upgraded to the current format).
        var checkpoint: TableCheckpoint
        /// For a version 1 state-table checkpoint: the row fingerprints it held (row key → fingerprint), to be
        /// written to the state topic before the table runs; `nil` otherwise.
        var legacyRows: [String: String]?
    }

    static func encode(_ checkpoint: TableCheckpoint) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        // Encoding plain value types cannot fail.
        return Array((try? encoder.encode(checkpoint)) ?? Data())
    }

    /// Decodes and checks the checkpoint stored under `expected.key`.
    ///
    /// - Parameters:
    ///   - bytes: The record's value.
    ///   - expected: What this process would write under that key.
    ///   - checkpointTopic: For messages.
    ///   - today: The current UTC day: no range may reach past tomorrow.
    /// - Throws: ``StreamerError/Code/corruptCheckpoint`` (exit 78) saying what is wrong and what to do.
    static func decode(
        _ bytes: [UInt8], expected: CheckpointIdentity, checkpointTopic: String, today: CalendarDay
    ) throws(StreamerError) -> Loaded {
        let place = "the checkpoint '\(expected.key)' in topic '\(checkpointTopic)'"
        let reset = "streamer reset --tables \(expected.table.name) --organization \(expected.organizationID)"
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let version: Int
        do {
            version = try decoder.decode(Version.self, from: Data(bytes)).schemaVersion
        } catch {
            throw unreadable(place, reset: reset, error: error)
        }
        let loaded: Loaded
        switch version {
        case TableCheckpoint.currentSchemaVersion:
            do {
                loaded = Loaded(checkpoint: try decoder.decode(TableCheckpoint.self, from: Data(bytes)), legacyRows: nil)
            } catch {
                throw unreadable(place, reset: reset, error: error)
            }
        case 1:
            let legacy: LegacyCheckpoint
            do {
                legacy = try decoder.decode(LegacyCheckpoint.self, from: Data(bytes))
            } catch {
                throw unreadable(place, reset: reset, error: error)
            }
            // Version 1 did not record the destination topic: the upgrade assumes it is the configured one.
            loaded = Loaded(
                checkpoint: legacy.upgraded(topic: expected.topic),
                legacyRows: expected.table.definition.cursorKind == .snapshot ? legacy.heldRows : nil)
        case let newer where newer > TableCheckpoint.currentSchemaVersion:
            throw StreamerError(
                code: .corruptCheckpoint,
                reason: "\(place) has schema_version \(newer), newer than this streamer understands "
                    + "(\(TableCheckpoint.currentSchemaVersion)); upgrade the streamer")
        default:
            throw StreamerError(
                code: .corruptCheckpoint,
                reason: "\(place) has schema_version \(version), which no streamer writes; it was forged or damaged. "
                    + "Refusing to guess: run `\(reset)` to start the table over")
        }
        try check(loaded.checkpoint, expected: expected, place: place, reset: reset, today: today)
        return loaded
    }

    /// Identity, then ranges.
    static func check(
        _ checkpoint: TableCheckpoint, expected: CheckpointIdentity, place: String, reset: String, today: CalendarDay
    ) throws(StreamerError) {
        func refuse(_ reason: String) -> StreamerError { StreamerError(code: .corruptCheckpoint, reason: "\(place) \(reason)") }
        if checkpoint.organizationID != expected.organizationID {
            throw refuse(
                "belongs to organization '\(checkpoint.organizationID)', not '\(expected.organizationID)' (the organization "
                    + "of this key): it was copied or forged. Check which deployment writes to this topic, then run `\(reset)`")
        }
        if checkpoint.table != expected.table {
            throw refuse(
                "describes table '\(checkpoint.table.name)', not '\(expected.table.name)': it was copied or forged. "
                    + "Run `\(reset)` to start the table over")
        }
        if checkpoint.topic != expected.topic {
            throw refuse(
                "was written for events in topic '\(checkpoint.topic)', but this configuration writes them to "
                    + "'\(expected.topic)' (was --topic-prefix or an organization's topic_prefix changed?). Either "
                    + "restore the previous prefix, or run `\(reset)` with the new settings to publish the table into "
                    + "'\(expected.topic)' from scratch")
        }
        if checkpoint.eventSchemaVersion != expected.eventSchemaVersion {
            throw refuse(
                "was written for event schema version \(checkpoint.eventSchemaVersion); this streamer writes version "
                    + "\(expected.eventSchemaVersion). Run `\(reset)` to re-emit the table with the current contract")
        }
        let latest = today.adding(days: 2)  // the first day after tomorrow: no range may reach past it
        var previousEnd: CalendarDay? = nil
        for range in checkpoint.published {
            if range.end <= range.start {
                throw refuse("holds an empty or inverted published range \(range): it was forged or damaged. Run `\(reset)`")
            }
            if range.end > latest {
                throw refuse(
                    "claims days up to \(range.end.adding(days: -1)) are published, after tomorrow (\(today.adding(days: 1))) "
                        + "UTC: it was forged or written with a wrong clock. Run `\(reset)` to start the table over")
            }
            if let previousEnd, range.start < previousEnd {
                throw refuse("holds overlapping or unsorted published ranges: it was forged or damaged. Run `\(reset)`")
            }
            previousEnd = range.end
        }
        for series in checkpoint.inProgress {
            if series.end <= series.start || series.end > latest {
                throw refuse(
                    "names a request series in progress [\(series.start), \(series.end)) that is inverted or after tomorrow "
                        + "UTC. Run `\(reset)`")
            }
        }
        if let snapshot = checkpoint.snapshot {
            if snapshot.generation < 0 || (snapshot.lastRowCount ?? 0) < 0 {
                throw refuse("holds a negative snapshot generation or row count. Run `\(reset)`")
            }
            if let held = snapshot.heldDeletion, held.rows < 0 || held.liveRows < 0 || held.listings < 1 {
                throw refuse("holds an impossible held deletion. Run `\(reset)`")
            }
        }
    }

    private static func unreadable(_ place: String, reset: String, error: any Error) -> StreamerError {
        StreamerError(
            code: .corruptCheckpoint,
            reason: "\(place) cannot be read (\(error)); it was not written by this version of the streamer or was "
                + "damaged. Refusing to restart from the beginning silently: run `\(reset)` to start the table over")
    }

    /// Just the format version.
    private struct Version: Decodable {
        var schemaVersion: Int
        enum CodingKeys: String, CodingKey { case schemaVersion = "schema_version" }
    }
}
