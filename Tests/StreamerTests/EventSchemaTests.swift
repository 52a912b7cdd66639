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

    @Test("a column the API does not provide today is typed [<documented type>, null], never just null")
    func alwaysNullColumnsAreTyped() throws {
        var checked = 0
        for table in AdminTable.allCases {
            let properties = try #require(EventSchema.value(for: table)["properties"]?.objectValue)
            for column in table.definition.columns where column.isAlwaysNull {
                let types = try #require(properties[column.name]?["type"]?.arrayValue, "\(table).\(column.name)")
                #expect(
                    types.count == 2 && types.contains(.string("null")) && types.contains { $0 != .string("null") },
                    "\(table).\(column.name)")
                checked += 1
            }
        }
        #expect(checked == 15, "usage_report 8, invites 2, organization 2, api_keys 1, users 1, workspace_members 1")
    }

    @Test("the new columns and tables are in the schemas with their types", arguments: [
        ("claude_code_usage", "is_remote", "boolean"), ("api_keys", "scope_type", "string"),
        ("api_keys", "expires_at", "string"), ("api_keys", "principal_id", "string"), ("cost_report", "token_type", "string"),
        ("rate_limits", "limits", "array"), ("rate_limits", "models", "array"), ("workspace_rate_limits", "rate_limit_id", "string"),
    ])
    func newColumns(table: String, column: String, type: String) throws {
        let definition = try #require(AdminTable(name: table)).definition
        let schema = EventSchema.value(for: definition.table)
        let types = schema["properties"]?[column]?["type"]
        #expect(types == .string(type) || types?.arrayValue?.contains(.string(type)) == true, "\(table).\(column): \(String(describing: types))")
    }

    @Test("claude_code_usage's key schema is version 2 and requires is_remote")
    func claudeCodeKeySchema() {
        let key = EventSchema.key(for: .claudeCodeUsage)
        #expect(key["$id"] == "urn:anthropic-admin-streamer:schema:v2:claude_code_usage.key")
        #expect(key["required"]?.arrayValue?.last == "is_remote")
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
