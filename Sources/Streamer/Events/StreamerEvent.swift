import AdminClient
import Kafka

import struct Foundation.Date

/// One event as the contract defines it: a table row (or a tombstone) with its key and headers.
public struct StreamerEvent: Sendable, Hashable {
    /// `upsert` for a row's current version, `delete` for a tombstone.
    public enum Operation: String, Sendable, Hashable {
        case upsert
        case delete
    }

    /// The table.
    public let table: AdminTable
    /// The documented primary key as a compact JSON object.
    public let key: JSONObject
    /// The flat row, or `nil` for a tombstone.
    public let value: JSONObject?
    /// The organization the row belongs to.
    public let organizationID: String
    /// When the row was fetched.
    public let fetchedAt: Date

    /// The operation a consumer applies.
    public var operation: Operation { value == nil ? .delete : .upsert }

    /// An upsert event for a row.
    public init(row: AdminRow, organizationID: String, fetchedAt: Date) {
        self.table = row.table
        self.key = row.key
        self.value = row.fields
        self.organizationID = organizationID
        self.fetchedAt = fetchedAt
    }

    /// A tombstone for a key that disappeared.
    public init(deletedKey key: JSONObject, table: AdminTable, organizationID: String, fetchedAt: Date) {
        self.table = table
        self.key = key
        self.value = nil
        self.organizationID = organizationID
        self.fetchedAt = fetchedAt
    }

    /// The key's bytes: compact JSON, fields in documented order.
    public var keyBytes: [UInt8] { JSONWriter.encode(.object(key)) }

    /// The value's bytes: compact JSON, or `nil` for a tombstone.
    public var valueBytes: [UInt8]? { value.map { JSONWriter.encode(.object($0)) } }

    /// The contract's headers.
    public var headers: [KafkaHeader] {
        Self.headers(table: table, organizationID: organizationID, operation: operation, fetchedAt: fetchedAt)
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

    /// The Kafka record for `topic`.
    public func record(topic: String) -> KafkaRecord {
        KafkaRecord(topic: topic, key: keyBytes, value: valueBytes, headers: headers)
    }
}
