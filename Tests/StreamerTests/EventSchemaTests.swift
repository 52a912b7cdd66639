import AdminClient
import Testing

@testable import Streamer

@Suite struct EventSchemaTests {
    @Test("the schemas in schemas/ are the ones the table definitions produce", arguments: AdminTable.allCases)
    func committedSchemasAreCurrent(table: AdminTable) throws {
        let key = try RepositoryFiles.text("schemas/\(table.name).key.schema.json")
        let value = try RepositoryFiles.text("schemas/\(table.name).value.schema.json")
        #expect(key == EventSchema.pretty(EventSchema.key(for: table)) + "\n", "run `streamer schemas` and commit")
        #expect(value == EventSchema.pretty(EventSchema.value(for: table)) + "\n", "run `streamer schemas` and commit")
    }

    @Test("the validator rejects what the schema forbids")
    func validatorRejects() throws {
        let schema = try JSONParser.parse(Array(try RepositoryFiles.text("schemas/users.value.schema.json").utf8))
        let good: JSONValue = ["id": "user_1", "email": "a@b", "name": nil, "role": "user", "created_at": "2024-01-01T00:00:00Z", "last_login_at": nil, "type": "user"]
        #expect(SchemaValidator.violations(of: good, against: schema).isEmpty)
        let missing: JSONValue = ["id": "user_1"]
        #expect(SchemaValidator.violations(of: missing, against: schema).count == 5)
        let wrongType: JSONValue = ["id": 7, "email": "a@b", "name": nil, "role": "user", "created_at": "2024-01-01T00:00:00Z", "last_login_at": nil]
        #expect(SchemaValidator.violations(of: wrongType, against: schema) == ["$.id: number is not string"])
    }
}
