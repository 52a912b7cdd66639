@testable import AdminClient
@testable import JSONSpans

import struct Foundation.Decimal

// The tree mapping the product used before the span encoder (docs/architecture.md §3), kept only as the
// reference the differential tests compare the encoder with: an independent reading of the same definitions.

extension TableDefinition {
    /// Builds the flat row for one API item as the event contract says, over a value tree.
    ///
    /// - Parameters:
    ///   - item: the row's JSON object (`data[]` item, `data[].results[]` item, or the response itself).
    ///   - bucket: for report tables, the enclosing bucket (`starting_at`, `ending_at`).
    /// - Throws: ``RowMappingError`` naming the path inside the item and what was expected.
    func referenceRow(from item: JSONObject, bucket: JSONObject? = nil) throws(RowMappingError) -> AdminRow {
        let itemValue = JSONValue.object(item)
        var fields = JSONObject(minimumCapacity: columns.count + 8)
        for column in columns {
            fields.appendUnchecked(column.name, try column.referenceValue(in: itemValue, bucket: bucket))
        }
        var extras: [(String, JSONValue)] = []
        if let bucket, let end = bucket["ending_at"] {
            extras.append(("bucket_end", end))
        }
        // consumedFields has a handful of names (often none): a scan is cheaper than hashing every member key.
        for member in item where !consumedFields.contains(where: { $0 == member.key }) {
            referenceFlatten(member.value, name: member.key, into: &extras)
        }
        if let tools = item["tool_actions"]?.objectValue {
            for tool in tools where !referenceHasToolActionColumn(tool.key) {
                extras.append(("\(tool.key)_accepted", tool.value["accepted"] ?? .null))
                extras.append(("\(tool.key)_rejected", tool.value["rejected"] ?? .null))
            }
        }
        guard !extras.isEmpty else { return AdminRow(table: table, fields: fields, keyColumns: keyColumns) }
        extras.sort { $0.0 < $1.0 }
        // A name already taken (a column, or an earlier extra) keeps its first value. Rows have tens of names,
        // so a scan beats hashing every name of every row into a set.
        for (name, value) in extras where !fields.members.contains(where: { $0.key == name }) {
            fields.appendUnchecked(name, value)
        }
        return AdminRow(table: table, fields: fields, keyColumns: keyColumns)
    }

    private func referenceHasToolActionColumn(_ tool: String) -> Bool {
        columns.contains { column in
            if case .toolAction(let columnTool, _) = column.source { return columnTool == tool }
            return false
        }
    }

    private func referenceFlatten(_ value: JSONValue, name: String, into extras: inout [(String, JSONValue)]) {
        if case .object(let object) = value, object.count > 0 {
            for member in object { referenceFlatten(member.value, name: name + "_" + member.key, into: &extras) }
        } else {
            extras.append((name, value))
        }
    }
}

extension ColumnDefinition {
    func referenceValue(in item: JSONValue, bucket: JSONObject?) throws(RowMappingError) -> JSONValue {
        let value: JSONValue
        switch source {
        case .field(let path):
            value = item[path: path] ?? .null
        case .day(let path):
            value = try Self.referenceNormalisedDay(item[path: path] ?? .null, path: path)
        case .decimalString(let path):
            switch item[path: path] ?? .null {
            case .string(let text):
                guard let number = JSONNumber(validating: text) else {
                    throw RowMappingError(path: path.joined(separator: "."), expected: "a decimal string, found \"\(text)\"")
                }
                value = .number(number)
            case .number(let number): value = .number(number)
            case .null: value = .null
            case let other:
                throw RowMappingError(path: path.joined(separator: "."), expected: "a decimal string, found \(other.typeName)")
            }
        case .actorIdentity:
            switch item[path: ["actor", "type"]]?.stringValue {
            case "user_actor": value = item[path: ["actor", "email_address"]] ?? .null
            case "api_actor": value = item[path: ["actor", "api_key_name"]] ?? .null
            default: value = item[path: ["actor", "email_address"]] ?? item[path: ["actor", "api_key_name"]] ?? .null
            }
        case .toolAction(let tool, let outcome):
            value = item["tool_actions"]?[tool]?[outcome] ?? 0
        case .sum(let array, let path):
            value = try Self.referenceSum(item[array]?.arrayValue ?? [], array: array, path: path, filter: nil)
        case .sumWhere(let array, let path, let filterPath, let equals):
            value = try Self.referenceSum(item[array]?.arrayValue ?? [], array: array, path: path, filter: (filterPath, equals))
        case .joined(let array, let path):
            let names = (item[array]?.arrayValue ?? []).compactMap { $0[path: path]?.stringValue }
            value = names.isEmpty ? .null : .string(names.joined(separator: ","))
        case .bucketStart:
            value = bucket?["starting_at"] ?? .null
        case .idWhen(let typePath, let type, let idPath):
            value = item[path: typePath]?.stringValue == type ? (item[path: idPath] ?? .null) : .null
        case .firstPresent(let paths):
            // `Optional.none`, not `nil`: JSONValue is ExpressibleByNilLiteral, so a bare `nil` here was `.null`
            // and a `null` first path hid the fallback (the tree path's bug on damaged 2026 rows).
            value =
                paths.lazy.compactMap { path in item[path: path].flatMap { $0.isNull ? Optional<JSONValue>.none : $0 } }
                .first ?? .null
        case .constant(let constant):
            value = constant
        case .unavailable:
            value = .null
        }
        try referenceCheck(value)
        return value
    }

    private func referenceCheck(_ value: JSONValue) throws(RowMappingError) {
        // The path text is built only for an error: this runs for every column of every row.
        switch (type, value) {
        case (_, .null):
            if isRequired {
                throw RowMappingError(path: source.description, expected: "a value for \(name), found null or nothing")
            }
        case (.string, .string), (.timestamp, .string), (.number, .number), (.boolean, .bool), (.array, .array):
            return
        case (.integer, .number(let number)):
            if !number.isInteger {
                throw RowMappingError(path: source.description, expected: "an integer, found \(number.literal)")
            }
        default:
            let wanted = type == .timestamp ? "a timestamp string" : type == .integer ? "an integer" : "a \(type.rawValue)"
            throw RowMappingError(path: source.description, expected: "\(wanted), found \(value.typeName)")
        }
    }

    /// `2025-09-01` or `2025-09-01T00:00:00Z` (any time, any fraction) → `2025-09-01T00:00:00Z`.
    static func referenceNormalisedDay(_ value: JSONValue, path: [String]) throws(RowMappingError) -> JSONValue {
        guard case .string(let text) = value else {
            if value.isNull { return .null }
            throw RowMappingError(path: path.joined(separator: "."), expected: "a date string, found \(value.typeName)")
        }
        guard let day = CalendarDay(prefixOf: text) else {
            throw RowMappingError(path: path.joined(separator: "."), expected: "a YYYY-MM-DD date, found \"\(text)\"")
        }
        return .string(day.midnightTimestamp)
    }

    static func referenceSum(
        _ elements: [JSONValue], array: String, path: [String], filter: (path: [String], equals: String)?
    ) throws(RowMappingError) -> JSONValue {
        var integerTotal = 0
        var decimalTotal: Decimal? = nil
        for (index, element) in elements.enumerated() {
            if let filter, element[path: filter.path]?.stringValue != filter.equals { continue }
            switch element[path: path] ?? .null {
            case .null: continue
            case .number(let number):
                if decimalTotal == nil, let int = number.intValue {
                    let (sum, overflow) = integerTotal.addingReportingOverflow(int)
                    if !overflow {
                        integerTotal = sum
                        continue
                    }
                }
                guard let decimal = Decimal(string: number.literal) else {
                    throw RowMappingError(path: "\(array)[\(index)].\(path.joined(separator: "."))", expected: "a number")
                }
                decimalTotal = (decimalTotal ?? Decimal(integerTotal)) + decimal
            case let other:
                throw RowMappingError(
                    path: "\(array)[\(index)].\(path.joined(separator: "."))", expected: "a number, found \(other.typeName)")
            }
        }
        if let decimalTotal {
            return .number(JSONNumber(uncheckedLiteral: "\(decimalTotal)"))
        }
        return .number(JSONNumber(integerTotal))
    }
}
