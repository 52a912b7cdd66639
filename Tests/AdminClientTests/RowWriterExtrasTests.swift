import AdminClient
import Testing

/// The extra fields (members no column consumes) follow the columns sorted by name, as `makeRow` sorts them.
@Suite struct RowWriterExtrasTests {
    @Test("sorts the extra fields by name, bytewise, a name before every name it begins")
    func extrasSorted() throws {
        let names = ["zz", "ab", "a_b", "a", "aa", "b", "Z", "a b", "type"]
        var item = JSONObject()
        item.appendUnchecked("id", .string("user_1"))
        for (index, name) in names.enumerated() { item.appendUnchecked(name, .string("v\(index)")) }
        let row = try TableEncoder(table: .users).encodeRow(item: item)
        guard case .object(let fields) = try JSONParser.parse(Array(row.value)) else {
            Issue.record("not an object")
            return
        }
        let columns = TableDefinition.users.columns.map(\.name)
        #expect(Array(fields.keys.prefix(columns.count)) == columns)
        #expect(Array(fields.keys.dropFirst(columns.count)) == ["Z", "a", "a b", "a_b", "aa", "ab", "b", "type", "zz"])
    }
}
