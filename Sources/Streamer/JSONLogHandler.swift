import AdminClient
import Logging

#if canImport(FoundationEssentials)
import struct FoundationEssentials.Date
#else
import struct Foundation.Date
#endif

/// A swift-log handler that writes one JSON object per line (`--log-format json`), for log shippers:
/// `{"ts":"2025-09-01T12:34:56.789Z","level":"info","label":"streamer","message":"Cycle done","metadata":{…}}`.
///
/// The five keys are always present, in that order; `metadata` is an object (empty when there is none) holding
/// the handler's, the provider's and the event's metadata, so a metadata key can never shadow `message` or
/// `level`.
public struct JSONLogHandler: LogHandler {
    /// The lowest level written. Default: `.info`.
    public var logLevel: Logger.Level = .info
    /// Metadata added to every line (under `metadata`).
    public var metadata: Logger.Metadata = [:]
    /// Metadata read at each log call (e.g. from task-locals). Default: none.
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let write: @Sendable (String) -> Void

    /// A handler writing to standard error.
    ///
    /// - Parameter label: the logger's label.
    public init(label: String) {
        self.init(label: label) { line in StandardStream.error.write(line) }
    }

    /// A handler writing lines to `write` (tests).
    ///
    /// - Parameters:
    ///   - label: the logger's label.
    ///   - write: receives each line, newline included.
    public init(label: String, write: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.write = write
    }

    /// One entry of ``metadata``.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes `event` as one JSON line.
    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let explicit = event.metadata { merged.merge(explicit) { $1 } }
        var object = JSONObject()
        object["ts"] = .string(Self.timestamp(Date()))
        object["level"] = .string(event.level.rawValue)
        object["label"] = .string(label)
        object["message"] = .string("\(event.message)")
        object["metadata"] = .object(JSONObject(merged.sorted { $0.key < $1.key }.map { ($0.key, Self.json($0.value)) }))
        write(JSONWriter.string(.object(object)) + "\n")
    }

    /// RFC 3339 in UTC with milliseconds: `2025-09-01T12:34:56.789Z`.
    static func timestamp(_ date: Date) -> String {
        let milliseconds = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = Int((Double(milliseconds) / 1000).rounded(.down))
        let fraction = milliseconds - seconds * 1000
        let whole = RFC3339.string(from: Date(timeIntervalSince1970: Double(seconds)))
        let digits = String(fraction)
        return whole.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    private static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let string): .string(string)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let array): .array(array.map(json))
        case .dictionary(let dictionary): .object(JSONObject(dictionary.sorted { $0.key < $1.key }.map { ($0.key, json($0.value)) }))
        }
    }
}
