import AdminClient
import Kafka

/// Writes events as JSON lines to standard output instead of Kafka (`--dry-run`). Checkpoints are kept in
/// memory only, so a dry run always starts from the configured interval.
public actor DryRunPublisher: EventPublisher {
    private let write: @Sendable (String) -> Void

    /// A publisher that prints each event as `{"topic":…,"key":…,"value":…,"headers":{…}}`.
    ///
    /// - Parameter write: receives each line (with its newline). Default: standard output.
    public init(write: @escaping @Sendable (String) -> Void = DryRunPublisher.writeToStandardOutput) {
        self.write = write
    }

    public func beginCycle(source: String, firstSequence: UInt64) async {}

    public func publish(_ page: PublishedPage) async throws(StreamerError) {
        var text = ""
        for event in page.records {
            text += Self.line(for: event)
        }
        write(text)
    }

    static func line(for record: KafkaRecord) -> String {
        var out: [UInt8] = Array(#"{"topic":"#.utf8)
        JSONWriter.writeString(record.topic, into: &out)
        out += Array(#","key":"#.utf8)
        out += record.key ?? ArraySlice("null".utf8)
        out += Array(#","value":"#.utf8)
        out += record.value ?? ArraySlice("null".utf8)
        out += Array(#","headers":{"#.utf8)
        for (index, header) in record.headers.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.writeString(header.name, into: &out)
            out.append(UInt8(ascii: ":"))
            JSONWriter.writeString(String(decoding: header.value ?? [], as: UTF8.self), into: &out)
        }
        out += Array("}}\n".utf8)
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes to standard output and flushes.
    public static let writeToStandardOutput: @Sendable (String) -> Void = { text in
        StandardStream.output.write(text)
    }
}
