import Foundation
import Kafka
import Streamer

/// The events of one backfill as the streamer handed them to its publisher, page by page, so the ceilings
/// can replay exactly the same records in exactly the same batches.
///
/// Binary layout, little-endian: per page `u32 records` then each record (the page's events, then its
/// checkpoint): `u16 topic length, topic, i32 key length (-1 = nil), key, i32 value length (-1 = nil), value,
/// u16 header count, per header u16 name length, name, i32 value length, value`.
enum CaptureFile {
    /// Totals of a capture.
    struct Totals: Sendable, Codable {
        var pages = 0
        var events = 0
        /// Key + value bytes of the events (checkpoints excluded).
        var payloadBytes = 0
        /// Header name + value bytes of the events.
        var headerBytes = 0
    }

    static func append(page events: [KafkaRecord], checkpoint: KafkaRecord, to out: inout [UInt8]) {
        appendInteger(UInt32(events.count + 1), to: &out)
        for record in events { append(record, to: &out) }
        append(checkpoint, to: &out)
    }

    /// Every page of a capture file: the events and the checkpoint.
    static func read(path: String) throws -> [(events: [KafkaRecord], checkpoint: KafkaRecord)] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var reader = Reader(bytes: bytes)
        var topics: [String: String] = [:]
        var headerNames: [String: String] = [:]
        var pages: [(events: [KafkaRecord], checkpoint: KafkaRecord)] = []
        while reader.offset < bytes.count {
            let count = Int(reader.integer(UInt32.self))
            var records: [KafkaRecord] = []
            records.reserveCapacity(count)
            var headersOfPage: [[KafkaHeader]: [KafkaHeader]] = [:]
            for _ in 0..<count {
                let topic = reader.string(interning: &topics)
                let key = reader.optionalBytes()
                let value = reader.optionalBytes()
                var headers: [KafkaHeader] = []
                for _ in 0..<Int(reader.integer(UInt16.self)) {
                    headers.append(KafkaHeader(name: reader.string(interning: &headerNames), value: reader.optionalBytes()))
                }
                // Events of one page share their headers (same table, operation and fetch time): share the
                // storage too, so the ceiling does not pay for what the streamer could reuse either.
                if let shared = headersOfPage[headers] {
                    headers = shared
                } else {
                    headersOfPage[headers] = headers
                }
                records.append(KafkaRecord(topic: topic, key: key, value: value, headers: headers))
            }
            let checkpoint = records.removeLast()
            pages.append((records, checkpoint))
        }
        return pages
    }

    private static func append(_ record: KafkaRecord, to out: inout [UInt8]) {
        appendInteger(UInt16(record.topic.utf8.count), to: &out)
        out.append(contentsOf: record.topic.utf8)
        appendOptional(record.key, to: &out)
        appendOptional(record.value, to: &out)
        appendInteger(UInt16(record.headers.count), to: &out)
        for header in record.headers {
            appendInteger(UInt16(header.name.utf8.count), to: &out)
            out.append(contentsOf: header.name.utf8)
            appendOptional(header.value, to: &out)
        }
    }

    private static func appendOptional<Bytes: Collection<UInt8>>(_ bytes: Bytes?, to out: inout [UInt8]) {
        guard let bytes else {
            appendInteger(Int32(-1), to: &out)
            return
        }
        appendInteger(Int32(bytes.count), to: &out)
        out.append(contentsOf: bytes)
    }

    private static func appendInteger<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func integer<T: FixedWidthInteger>(_: T.Type) -> T {
            var value: T = 0
            for index in 0..<MemoryLayout<T>.size {
                value |= T(truncatingIfNeeded: bytes[offset + index]) << (8 * index)
            }
            offset += MemoryLayout<T>.size
            return value
        }

        mutating func optionalBytes() -> [UInt8]? {
            let count = Int(integer(Int32.self))
            guard count >= 0 else { return nil }
            defer { offset += count }
            return Array(bytes[offset..<offset + count])
        }

        mutating func string(interning table: inout [String: String]) -> String {
            let count = Int(integer(UInt16.self))
            defer { offset += count }
            let text = String(decoding: bytes[offset..<offset + count], as: UTF8.self)
            if let interned = table[text] { return interned }
            table[text] = text
            return text
        }
    }
}

/// An ``EventPublisher`` that writes each page to a capture file and a `key\tvalue` lines file for kcat,
/// instead of Kafka.
actor CapturePublisher: EventPublisher {
    private let pages: FileHandle
    private let lines: FileHandle
    private(set) var totals = CaptureFile.Totals()

    init(pagesPath: String, linesPath: String) throws {
        for path in [pagesPath, linesPath] where !FileManager.default.createFile(atPath: path, contents: nil) {
            throw BenchmarkFailure("cannot create \(path)")
        }
        pages = try FileHandle(forWritingTo: URL(fileURLWithPath: pagesPath))
        lines = try FileHandle(forWritingTo: URL(fileURLWithPath: linesPath))
    }

    func beginCycle(source: String, firstSequence: UInt64) async {}

    func publish(_ page: PublishedPage) async throws(StreamerError) {
        // The ceilings replay every record (events and row state); kcat and the counts take the events only.
        let checkpoint = page.checkpoint
        var pageBytes: [UInt8] = []
        CaptureFile.append(page: page.records, checkpoint: checkpoint, to: &pageBytes)
        let events = page.records.filter { !$0.topic.hasSuffix(".state") }
        var lineBytes: [UInt8] = []
        for event in events {
            lineBytes.append(contentsOf: event.key ?? [])
            lineBytes.append(UInt8(ascii: "\t"))
            lineBytes.append(contentsOf: event.value ?? [])
            lineBytes.append(UInt8(ascii: "\n"))
            totals.payloadBytes += (event.key?.count ?? 0) + (event.value?.count ?? 0)
            totals.headerBytes += event.headers.reduce(0) { $0 + $1.name.utf8.count + ($1.value?.count ?? 0) }
        }
        totals.pages += 1
        totals.events += events.count
        pages.write(Data(pageBytes))
        lines.write(Data(lineBytes))
    }

    func close() throws {
        try pages.close()
        try lines.close()
    }
}
