import Testing

@testable import AdminClient

/// Edge cases of `TableDefinition.makeRow` that the contract examples do not reach.
@Suite struct TableDefinitionRowMappingTests {
    static func parse(_ json: String) throws -> JSONObject {
        try #require(try JSONParser.parse(Array(json.utf8)).objectValue)
    }

    @Test("an api_actor's key name is the actor id, a plain date becomes midnight, empty breakdown gives null models")
    func apiActor() throws {
        let item = try Self.parse(
            #"{"date":"2025-09-01","actor":{"type":"api_actor","api_key_name":"ci-key"},"terminal_type":"cli","model_breakdown":[]}"#
        )
        let row = try TableDefinition.claudeCodeUsage.makeRow(from: item)
        #expect(row["date"] == "2025-09-01T00:00:00Z")
        #expect(row["actor_id"] == "ci-key")
        #expect(row["models_used"] == .null)
        #expect(row["total_input_tokens"] == 0)
        #expect(row["total_estimated_cost_cents"] == 0)
    }

    @Test("an undocumented tool is kept as extra _accepted/_rejected fields; non-USD costs are not summed")
    func unknownToolAndCurrency() throws {
        let item = try Self.parse(
            #"""
            {"date":"2025-09-01T00:00:00Z","actor":{"type":"user_actor","email_address":"a@b"},
             "tool_actions":{"grep_tool":{"accepted":3,"rejected":1}},
             "model_breakdown":[{"model":"m1","estimated_cost":{"currency":"USD","amount":10.5}},
                                {"model":"m2","estimated_cost":{"currency":"EUR","amount":99}}]}
            """#)
        let row = try TableDefinition.claudeCodeUsage.makeRow(from: item)
        #expect(row["grep_tool_accepted"] == 3)
        #expect(row["grep_tool_rejected"] == 1)
        #expect(row["models_used"] == "m1,m2")
        #expect(row["total_estimated_cost_cents"] == decimal("10.5"))
    }

    @Test("a wrong integer type reads 'an integer' in the error")
    func integerWording() throws {
        let item = try Self.parse(
            #"{"date":"2025-09-01","actor":{"type":"user_actor","email_address":"a@b"},"core_metrics":{"num_sessions":"4"}}"#)
        #expect(throws: RowMappingError(path: "core_metrics.num_sessions", expected: "an integer, found string")) {
            try TableDefinition.claudeCodeUsage.makeRow(from: item)
        }
    }
}
