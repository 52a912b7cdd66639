import AdminClient
import Kafka

#if canImport(FoundationEssentials)
import struct FoundationEssentials.Date
#else
import struct Foundation.Date
#endif

/// What the event contract says besides a row's bytes: the operation and the headers every event carries. The
/// key and value bytes themselves are written by the table's encoder (``EncodedRow``) straight from the response.
public enum StreamerEvent {
    /// `upsert` for a row's current version, `delete` for a tombstone.
    public enum Operation: String, Sendable, Hashable {
        case upsert
        case delete
    }

    /// The contract's headers for an event of `table`.
    public static func headers(table: AdminTable, organizationID: String, operation: Operation, fetchedAt: Date) -> [KafkaHeader] {
        [
            Self.contentTypeHeader,
            KafkaHeader(name: "anthropic.table", value: Array(table.name.utf8)),
            KafkaHeader(name: "anthropic.organization_id", value: Array(organizationID.utf8)),
            operation == .upsert ? Self.upsertHeader : Self.deleteHeader,
            KafkaHeader(name: "anthropic.fetched_at", value: Array(RFC3339.string(from: fetchedAt).utf8)),
            schemaVersionHeaders[table] ?? schemaVersionHeader(table),
        ]
    }

    // The constant headers, built once (their byte arrays are shared, not copied, by every event).
    private static let contentTypeHeader = KafkaHeader(name: "content-type", value: Array("application/json".utf8))
    private static let upsertHeader = KafkaHeader(name: "anthropic.op", value: Array(Operation.upsert.rawValue.utf8))
    private static let deleteHeader = KafkaHeader(name: "anthropic.op", value: Array(Operation.delete.rawValue.utf8))
    private static let schemaVersionHeaders = Dictionary(
        uniqueKeysWithValues: AdminTable.allCases.map { ($0, schemaVersionHeader($0)) })

    /// `schema_version`: the version of the table's contract (its definition's ``TableDefinition/schemaVersion``).
    private static func schemaVersionHeader(_ table: AdminTable) -> KafkaHeader {
        KafkaHeader(name: "schema_version", value: Array(String(table.definition.schemaVersion).utf8))
    }
}
