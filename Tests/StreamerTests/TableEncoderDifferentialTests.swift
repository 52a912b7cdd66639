import AdminClient
import AdminSandbox
import Foundation
import JSONSpans
import Streamer
import Testing

/// The product's encoder against the reference mapping: for every table (`AdminTable.allCases`, so tables added
/// later are covered), on the sandbox's pages, on those pages written with whitespace and escapes, and on every row
/// with each member removed, nulled or mistyped, `TableEncoder` writes exactly the key and value bytes of the tree
/// mapping the product used before (`referenceRow`, kept in Tests/StreamerTests/Support) over `JSONParser`, or
/// fails at the same path for the same reason: two independent readings of the same definitions.
@Suite struct TableEncoderDifferentialTests {
    static let defaultWorkspaceID = "wrkspc_listed"

    /// The sandbox's pages of `table`, as the sandbox serves them (one page per table).
    static func sandboxPage(_ table: AdminTable) async -> JSONValue {
        var configuration = SandboxConfiguration()
        configuration.historyStart = configuration.today.adding(days: -3)
        configuration.claudeCodeRowsPerDay = 40
        configuration.usageResultsPerBucket = 8
        let served = await SandboxAdminAPI(configuration: configuration).servedItems(table)
        switch table.definition.rowLocation {
        case .responseObject:
            return .object(served.first?.item ?? JSONObject())
        case .dataItems:
            return page(served.map { .object($0.item) })
        case .bucketResults:
            var buckets: [JSONValue] = []
            var current: JSONObject? = nil
            var results: [JSONValue] = []
            for (item, bucket) in served {
                if let bucket, bucket != current {
                    if var last = current {
                        last["results"] = .array(results)
                        buckets.append(.object(last))
                    }
                    current = bucket
                    results = []
                }
                results.append(.object(item))
            }
            if var last = current {
                last["results"] = .array(results)
                buckets.append(.object(last))
            }
            return page(buckets)
        }
    }

    static func page(_ data: [JSONValue]) -> JSONValue {
        .object(JSONObject([("data", .array(data)), ("has_more", false), ("next_page", nil)]))
    }

    // MARK: The reference: the tree mapping

    struct Failure: Error, Equatable {
        var path: String
        var expected: String
    }

    /// The tree path: parse, walk the page as the client did, `referenceRow`, and the row's bytes as
    /// `JSONWriter` writes them.
    static func reference(_ bytes: [UInt8], table: AdminTable, defaultWorkspaceID: String?) -> Result<[EncodedRow], Failure> {
        let definition = table.definition
        func event(_ row: AdminRow) -> EncodedRow {
            EncodedRow(key: JSONWriter.encode(.object(row.key)), value: JSONWriter.encode(.object(row.fields)), day: nil)
        }
        guard case .object(let root)? = try? JSONParser.parse(bytes) else { return .failure(Failure(path: "$", expected: "an object")) }
        if definition.rowLocation == .responseObject {
            do throws(RowMappingError) {
                return .success([event(try definition.referenceRow(from: root))])
            } catch {
                return .failure(Failure(path: "$." + error.path, expected: error.expected))
            }
        }
        guard case .array(let data)? = root["data"] else { return .failure(Failure(path: "$.data", expected: "an array")) }
        var rows: [EncodedRow] = []
        for (index, element) in data.enumerated() {
            guard case .object(var item) = element else { return .failure(Failure(path: "$.data[\(index)]", expected: "an object")) }
            if definition.rowLocation == .dataItems {
                if let defaultWorkspaceID, item["workspace_id"] == nil || item["workspace_id"] == .null {
                    item["workspace_id"] = .string(defaultWorkspaceID)
                }
                do throws(RowMappingError) {
                    rows.append(event(try definition.referenceRow(from: item)))
                } catch {
                    return .failure(Failure(path: "$.data[\(index)]." + error.path, expected: error.expected))
                }
                continue
            }
            guard case .array(let results)? = item["results"] else {
                return .failure(Failure(path: "$.data[\(index)].results", expected: "an array"))
            }
            var bucket = item
            bucket["results"] = nil
            for key in ["starting_at", "ending_at"] where bucket[key]?.stringValue == nil {
                return .failure(Failure(path: "$.data[\(index)].\(key)", expected: "a timestamp string"))
            }
            for (resultIndex, result) in results.enumerated() {
                guard case .object(let object) = result else {
                    return .failure(Failure(path: "$.data[\(index)].results[\(resultIndex)]", expected: "an object"))
                }
                do throws(RowMappingError) {
                    rows.append(event(try definition.referenceRow(from: object, bucket: bucket)))
                } catch {
                    return .failure(
                        Failure(path: "$.data[\(index)].results[\(resultIndex)]." + error.path, expected: error.expected))
                }
            }
        }
        return .success(rows)
    }

    static func encoded(_ bytes: [UInt8], table: AdminTable, defaultWorkspaceID: String?) -> Result<[EncodedRow], Failure> {
        do {
            let map = try JSONSpanScanner.scan(bytes)
            return .success(try TableEncoder(table: table).encodeRows(in: map, defaultWorkspaceID: defaultWorkspaceID))
        } catch let error as RowMappingError {
            return .failure(Failure(path: error.path, expected: error.expected))
        } catch {
            return .failure(Failure(path: "$", expected: "\(error)"))
        }
    }

    /// Checks one page: same rows byte for byte, or the same failure. Shape failures outside rows (the
    /// reference's short messages) compare by path only.
    static func expectSame(
        _ bytes: [UInt8], table: AdminTable, defaultWorkspaceID: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let old = reference(bytes, table: table, defaultWorkspaceID: defaultWorkspaceID)
        let new = encoded(bytes, table: table, defaultWorkspaceID: defaultWorkspaceID)
        switch (old, new) {
        case (.success(let oldRows), .success(let newRows)):
            #expect(oldRows.count == newRows.count, sourceLocation: sourceLocation)
            for (oldRow, newRow) in zip(oldRows, newRows) {
                #expect(
                    String(decoding: newRow.key, as: UTF8.self) == String(decoding: oldRow.key, as: UTF8.self),
                    sourceLocation: sourceLocation)
                #expect(
                    String(decoding: newRow.value, as: UTF8.self) == String(decoding: oldRow.value, as: UTF8.self),
                    sourceLocation: sourceLocation)
            }
        case (.failure(let oldFailure), .failure(let newFailure)):
            #expect(newFailure.path == oldFailure.path, sourceLocation: sourceLocation)
            if oldFailure.expected.contains(",") || oldFailure.expected.contains(" found") {
                #expect(newFailure.expected == oldFailure.expected, sourceLocation: sourceLocation)
            }
        default:
            Issue.record(
                "\(table): the reference gave \(old), the encoder \(new) for \(String(decoding: bytes, as: UTF8.self))",
                sourceLocation: sourceLocation)
        }
    }

    // MARK: Specifications

    @Test("writes the sandbox's pages byte for byte as the reference mapping, for every table", arguments: AdminTable.allCases)
    func sandboxPages(table: AdminTable) async throws {
        let page = await Self.sandboxPage(table)
        Self.expectSame(JSONWriter.encode(page), table: table)
        let old = try Self.reference(JSONWriter.encode(page), table: table, defaultWorkspaceID: nil).get()
        #expect(!old.isEmpty)
    }

    @Test("reads pages written with whitespace and escapes the same, for every table", arguments: AdminTable.allCases)
    func noisyPages(table: AdminTable) async {
        let page = await Self.sandboxPage(table)
        Self.expectSame(NoisyWriter.encode(page), table: table)
    }

    @Test("reads pages whose objects list their members in reverse order the same, for every table", arguments: AdminTable.allCases)
    func reversedMembers(table: AdminTable) async {
        let page = await Self.sandboxPage(table)
        Self.expectSame(JSONWriter.encode(Self.reversingMembers(page)), table: table)
        Self.expectSame(JSONWriter.encode(Self.reversingMembers(page)), table: table, defaultWorkspaceID: Self.defaultWorkspaceID)
    }

    /// `value` with every object's members, at any depth, in reverse order.
    static func reversingMembers(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object): .object(JSONObject(object.members.reversed().map { ($0.key, reversingMembers($0.value)) }))
        case .array(let elements): .array(elements.map(reversingMembers))
        default: value
        }
    }

    @Test("gives the same rows or the same error for every row with a member removed, nulled or mistyped", arguments: AdminTable.allCases)
    func mutatedRows(table: AdminTable) async throws {
        let page = Self.firstRows(of: await Self.sandboxPage(table))
        let variants = Self.variants(of: page, table: table)
        for variant in variants {
            Self.expectSame(JSONWriter.encode(variant), table: table, defaultWorkspaceID: Self.defaultWorkspaceID)
        }
    }

    /// The page cut to its first two items (and their first two results): the variants below multiply.
    static func firstRows(of page: JSONValue) -> JSONValue {
        guard case .object(var root) = page, case .array(let data)? = root["data"] else { return page }
        root["data"] = .array(
            data.prefix(2).map { item in
                guard case .object(var bucket) = item, case .array(let results)? = bucket["results"] else { return item }
                bucket["results"] = .array(Array(results.prefix(2)))
                return .object(bucket)
            })
        return .object(root)
    }

    /// The page's first row with each of its members (at any depth) removed, set to `null`, to a string, to a
    /// number, to an object and to an array; plus extra fields whose names collide once flattened.
    static func variants(of page: JSONValue, table: AdminTable) -> [JSONValue] {
        let replacements: [JSONValue?] = [
            nil, .null, .string("2025-09-01T10:00:00Z"), .string("x\"\\é\n"), .number(JSONNumber(uncheckedLiteral: "12.75")),
            .number(JSONNumber(uncheckedLiteral: "-3")), .number(JSONNumber(uncheckedLiteral: "99999999999999999999")),
            .object(JSONObject()), .object(JSONObject([("k", "v"), ("n", 1)])), .array([]), .array(["a", 1]), .bool(true),
            .string(" 12.5 "),
        ]
        let rowPath: [PathStep]
        switch table.definition.rowLocation {
        case .responseObject: rowPath = []
        case .dataItems: rowPath = [.key("data"), .index(0)]
        case .bucketResults: rowPath = [.key("data"), .index(0), .key("results"), .index(0)]
        }
        guard let row = page.value(at: rowPath) else { return [] }
        var variants: [JSONValue] = []
        for memberPath in row.memberPaths() {
            for replacement in replacements {
                variants.append(page.replacing(rowPath + memberPath, with: replacement))
            }
        }
        let extras: [(String, JSONValue)] = [
            ("zz_extra", .object(JSONObject([("b", 1), ("a", .object(JSONObject([("c", "deep")])))]))),
            ("zz_extra_a_c", "collides"), ("aa_first", .array([.object(JSONObject([("x", 1)]))])), ("émoji😀", "ü"),
            ("tool_actions", .object(JSONObject([("grep_tool", .object(JSONObject([("accepted", 2)]))), ("edit_tool", 5)]))),
            ("bucket_end", "shadowed"), ("empty", .object(JSONObject())),
        ]
        for (name, value) in extras {
            variants.append(page.replacing(rowPath + [.key(name)], with: value))
        }
        return variants
    }

    @Test("a null first source of a column with fallbacks falls back: group.type to group_type, scope to workspace_id")
    func nullFallsBack() throws {
        let rateLimit = #"{"data":[{"id":"rl_1","group":{"type":null,"id":"g"},"group_type":"model_group"}],"has_more":false}"#
        let rows = try TableEncoder(table: .rateLimits).encodeRows(in: try JSONSpanScanner.scan(Array(rateLimit.utf8)))
        #expect(
            String(decoding: try #require(rows.first).value, as: UTF8.self)
                == #"{"id":"rl_1","group_type":"model_group","group_id":"g","group_display_name":null,"models":null,"limits":null}"#)
        let key = #"{"data":[{"id":"k","workspace_id":"wrkspc_legacy","scope":{"type":"workspace","workspace_id":null}}],"has_more":false}"#
        let keys = try TableEncoder(table: .apiKeys).encodeRows(in: try JSONSpanScanner.scan(Array(key.utf8)))
        let value = String(decoding: try #require(keys.first).value, as: UTF8.self)
        #expect(value.contains(#""workspace_id":"wrkspc_legacy""#), "\(value)")
        Self.expectSame(Array(rateLimit.utf8), table: .rateLimits)
        Self.expectSame(Array(key.utf8), table: .apiKeys)
    }

    @Test("fills workspace_members' missing or null workspace_id with the workspace listed")
    func defaultWorkspace() async {
        let page = await Self.sandboxPage(.workspaceMembers)
        let path: [PathStep] = [.key("data"), .index(0), .key("workspace_id")]
        Self.expectSame(JSONWriter.encode(page.replacing(path, with: nil)), table: .workspaceMembers, defaultWorkspaceID: "w\"1")
        Self.expectSame(JSONWriter.encode(page.replacing(path, with: .null)), table: .workspaceMembers, defaultWorkspaceID: "w1")
        Self.expectSame(JSONWriter.encode(page), table: .workspaceMembers, defaultWorkspaceID: "w1")
    }

    @Test("sums decimal and overflowing costs exactly as the reference (Decimal)")
    func decimalSums() {
        let page = #"""
            {"data":[{"date":"2025-09-01","actor":{"type":"user_actor","email_address":"a@b"},"model_breakdown":[
              {"model":"m1","tokens":{"input":9223372036854775807},"estimated_cost":{"currency":"USD","amount":10.5}},
              {"model":"m\u00e9","tokens":{"input":5},"estimated_cost":{"currency":"USD","amount":0.25}},
              {"model":"m3","estimated_cost":{"currency":"EUR","amount":99}}, 7, {"model":null}]}],"has_more":false}
            """#
        Self.expectSame(Array(page.utf8), table: .claudeCodeUsage)
    }

    @Test("the time tables' rows know their day, written in their value")
    func dayAndFingerprint() async throws {
        for table in AdminTable.allCases where table.definition.cursorKind != .snapshot {
            let bytes = JSONWriter.encode(await Self.sandboxPage(table))
            let rows = try TableEncoder(table: table).encodeRows(in: try JSONSpanScanner.scan(bytes))
            for row in rows {
                let day = try #require(row.day)
                #expect(String(decoding: row.value, as: UTF8.self).contains("\"\(day.midnightTimestamp)\""))
            }
        }
    }
}

/// A step of a path into a `JSONValue`.
enum PathStep: Hashable {
    case key(String)
    case index(Int)
}

extension JSONValue {
    func value(at path: [PathStep]) -> JSONValue? {
        var current: JSONValue? = self
        for step in path {
            switch step {
            case .key(let key): current = current?[key]
            case .index(let index):
                guard let array = current?.arrayValue, index < array.count else { return nil }
                current = array[index]
            }
        }
        return current
    }

    /// The paths of every member of every object inside this value (arrays' first element only).
    func memberPaths() -> [[PathStep]] {
        switch self {
        case .object(let object):
            object.members.flatMap { member in
                [[PathStep.key(member.key)]] + member.value.memberPaths().map { [.key(member.key)] + $0 }
            }
        case .array(let array):
            array.first.map { $0.memberPaths().map { [.index(0)] + $0 } } ?? []
        default: []
        }
    }

    /// This value with the value at `path` replaced (`nil` removes an object member).
    func replacing(_ path: [PathStep], with replacement: JSONValue?) -> JSONValue {
        guard let step = path.first else { return replacement ?? .null }
        let rest = Array(path.dropFirst())
        switch (self, step) {
        case (.object(var object), .key(let key)):
            if rest.isEmpty {
                object[key] = replacement
            } else if let child = object[key] {
                object[key] = child.replacing(rest, with: replacement)
            }
            return .object(object)
        case (.array(var array), .index(let index)) where index < array.count:
            array[index] = array[index].replacing(rest, with: replacement)
            return .array(array)
        default:
            return self
        }
    }
}

/// Writes JSON with whitespace everywhere and every string escaped in every legal way (`\/`, `\u00e9`, a
/// surrogate pair, `\u0065` for `e`), so the encoder's slow paths meet the same data.
enum NoisyWriter {
    static func encode(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        write(value, into: &out)
        return out
    }

    static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .string(let string): writeString(string, into: &out)
        case .array(let array):
            out.append(contentsOf: "[ ".utf8)
            for (offset, element) in array.enumerated() {
                if offset > 0 { out.append(contentsOf: " ,\n".utf8) }
                write(element, into: &out)
            }
            out.append(contentsOf: " ]".utf8)
        case .object(let object):
            out.append(contentsOf: "{\n\t".utf8)
            for (offset, member) in object.members.enumerated() {
                if offset > 0 { out.append(contentsOf: ",\r\n ".utf8) }
                writeString(member.key, into: &out)
                out.append(contentsOf: " : ".utf8)
                write(member.value, into: &out)
            }
            out.append(contentsOf: "\n}".utf8)
        default:
            JSONWriter.write(value, into: &out)
        }
    }

    static func writeString(_ string: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for scalar in string.unicodeScalars {
            switch scalar {
            case "e": out.append(contentsOf: #"\u0065"#.utf8)
            case "-": out.append(contentsOf: #"\u002D"#.utf8)
            case "/": out.append(contentsOf: #"\/"#.utf8)
            case "\"": out.append(contentsOf: #"\""#.utf8)
            case "\\": out.append(contentsOf: #"\\"#.utf8)
            default:
                if scalar.value < 0x20 || scalar.value > 0x7E {
                    for unit in String(scalar).utf16 {
                        let hex = String(unit, radix: 16)
                        out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
                    }
                } else {
                    out.append(contentsOf: String(scalar).utf8)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
