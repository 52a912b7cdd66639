import AdminClient

import class Foundation.JSONDecoder
import class Foundation.JSONEncoder

/// Reads and writes ``TableCheckpoint`` values as JSON.
enum CheckpointCodec {
    static func encode(_ checkpoint: TableCheckpoint) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        // Encoding plain value types cannot fail.
        return Array((try? encoder.encode(checkpoint)) ?? Data())
    }

    static func decode(_ bytes: [UInt8], key: String, topic: String) throws(StreamerError) -> TableCheckpoint {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let checkpoint: TableCheckpoint
        do {
            checkpoint = try decoder.decode(TableCheckpoint.self, from: Data(bytes))
        } catch {
            throw StreamerError(
                code: .corruptCheckpoint,
                reason: "the checkpoint '\(key)' in topic '\(topic)' cannot be read (\(error)); "
                    + "it was not written by this version of the streamer or was damaged. Refusing to restart from "
                    + "the beginning silently: delete that key (produce a tombstone) to start the table over")
        }
        guard checkpoint.schemaVersion <= TableCheckpoint.currentSchemaVersion else {
            throw StreamerError(
                code: .corruptCheckpoint,
                reason: "the checkpoint '\(key)' in topic '\(topic)' has schema_version \(checkpoint.schemaVersion), "
                    + "newer than this streamer understands (\(TableCheckpoint.currentSchemaVersion)); upgrade the streamer")
        }
        return checkpoint
    }
}

import struct Foundation.Data
