import Testing

@testable import AdminClient

/// Mutation fuzzing, in the suite: seeded (reproducible), bounded (a few seconds), asserting that the JSON
/// parser and the page decoder never crash and always end in a value or a typed error. `scripts/fuzz SECONDS`
/// runs the parser under libFuzzer for longer. Every crash either finds becomes a test in this file.
@Suite struct JSONFuzzTests {
    /// Real page shapes of every table (from the documentation's examples), the mutator's seeds.
    static let pages: [(table: AdminTable, body: String)] = [
        (.organization, #"{"id":"12345678-1234-5678-1234-567812345678","type":"organization","name":"Acme Corp"}"#),
        (
            .claudeCodeUsage,
            #"{"data":[{"date":"2025-09-01T00:00:00Z","actor":{"type":"user_actor","email_address":"ana@example.com"},"organization_id":"0b6c1d2e-1111-2222-3333-444455556666","customer_type":"api","terminal_type":"vscode","core_metrics":{"num_sessions":4,"lines_of_code":{"added":210,"removed":37},"commits_by_claude_code":3,"pull_requests_by_claude_code":1},"tool_actions":{"edit_tool":{"accepted":19,"rejected":2}},"model_breakdown":[{"model":"claude-sonnet-4-20250514","tokens":{"input":51000,"output":9000,"cache_read":12000,"cache_creation":3000},"estimated_cost":{"currency":"USD","amount":143}}]}],"has_more":true,"next_page":"page_2"}"#
        ),
        (
            .usageReport,
            #"{"data":[{"starting_at":"2025-09-01T00:00:00Z","ending_at":"2025-09-02T00:00:00Z","results":[{"api_key_id":"apikey_01AbC","workspace_id":null,"model":"claude-sonnet-4-20250514","service_tier":"standard","context_window":"0-200k","uncached_input_tokens":120000,"cache_read_input_tokens":40000,"cache_creation":{"ephemeral_1h_input_tokens":0,"ephemeral_5m_input_tokens":8000},"output_tokens":31000,"server_tool_use":{"web_search_requests":2}}]}],"has_more":false,"next_page":null}"#
        ),
        (
            .costReport,
            #"{"data":[{"starting_at":"2025-09-01T00:00:00Z","ending_at":"2025-09-02T00:00:00Z","results":[{"currency":"USD","amount":"1834.5012","workspace_id":"wrkspc_01XyZ","description":"Claude Sonnet 4 Usage - Input Tokens","cost_type":"tokens","context_window":"0-200k","model":"claude-sonnet-4-20250514","service_tier":"standard","token_type":"uncached_input_tokens"}]}],"has_more":false,"next_page":null}"#
        ),
        (
            .workspaces,
            ##"{"data":[{"id":"wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ","type":"workspace","name":"Platform","created_at":"2024-10-30T23:58:27.427722Z","archived_at":null,"display_color":"#6C5BB9"}],"has_more":true,"first_id":"wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ","last_id":"wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ"}"##
        ),
        (
            .apiKeys,
            #"{"data":[{"id":"apikey_01Rj2N8SVvo6BePZj99NhmiT","type":"api_key","name":"Developer Key","workspace_id":"wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ","created_at":"2024-10-30T23:58:27.427722Z","created_by":{"id":"user_01WCz1FkmYMm4gnmykNKUu3Q","type":"user"},"partial_key_hint":"sk-ant-api03-R2D...igAA","status":"active"}],"has_more":false,"first_id":"apikey_01Rj2N8SVvo6BePZj99NhmiT","last_id":"apikey_01Rj2N8SVvo6BePZj99NhmiT"}"#
        ),
        (
            .invites,
            #"{"data":[{"id":"invite_015gWxCN9Hfg2QhZwTK7Mdeu","type":"invite","email":"user@emaildomain.com","role":"user","invited_at":"2024-10-30T23:58:27.427722Z","expires_at":"2024-11-20T23:58:27.427722Z","status":"pending"}],"has_more":false,"first_id":"invite_015gWxCN9Hfg2QhZwTK7Mdeu","last_id":"invite_015gWxCN9Hfg2QhZwTK7Mdeu"}"#
        ),
        (
            .users,
            #"{"data":[{"type":"user","id":"user_01WCz1FkmYMm4gnmykNKUu3Q","email":"ana@example.com","name":"Ana Lima","role":"developer","added_at":"2024-10-30T23:58:27.427722Z"}],"has_more":true,"first_id":"user_01WCz1FkmYMm4gnmykNKUu3Q","last_id":"user_01WCz1FkmYMm4gnmykNKUu3Q"}"#
        ),
        (
            .workspaceMembers,
            #"{"data":[{"type":"workspace_member","user_id":"user_1","workspace_role":"workspace_developer"}],"has_more":false,"first_id":"user_1","last_id":"user_1"}"#
        ),
    ]

    static var seeds: [[UInt8]] { pages.map { Array($0.body.utf8) } }

    @Test("every seed page decodes (so the fuzzer starts from documents that reach the row mapping)")
    func seedsDecode() throws {
        for (table, body) in Self.pages {
            let outcome = Self.decode(Array(body.utf8), as: table)
            if case .failure(let error) = outcome { Issue.record("\(table): \(error)") }
        }
    }

    @Test("the parser on 10 000 mutated documents: a value that round-trips, or a SyntaxError inside the input")
    func parserNeverCrashes() throws {
        var mutator = Mutator(seed: 0x5EED_0001, seeds: Self.seeds)
        var values = 0
        let started = ContinuousClock.now
        let iterations = 10_000
        for _ in 0..<iterations {
            let bytes = mutator.next()
            // Plain checks in the loop (an #expect per document would dominate the run); any failure is recorded
            // with the document, so it can become a regression test.
            do {
                let value = try JSONParser.parse(bytes)
                values += 1
                // A parsed document was valid UTF-8 and had no repeated key, and it writes back to itself.
                let roundTrip = try? JSONParser.parse(JSONWriter.encode(value))
                if String(validating: bytes, as: UTF8.self) == nil || !Self.hasDistinctKeys(value) || roundTrip != value {
                    Issue.record("accepted but broken: \(bytes)")
                }
            } catch {
                if !(0...bytes.count).contains(error.offset) || !error.path.hasPrefix("$") {
                    Issue.record("bad error \(error) for \(bytes)")
                }
            }
        }
        let elapsed = ContinuousClock.now - started
        print("JSON parser fuzz: \(iterations) documents (\(values) valid) in \(elapsed), \(Self.rate(iterations, elapsed))/s")
        #expect(values > 0 && values < iterations, "the mutations produced both valid and invalid documents")
    }

    @Test("the page decoder on 5 000 mutated pages: rows, or a malformed-response error that is safe to log")
    func decoderNeverCrashes() throws {
        var mutator = Mutator(seed: 0x5EED_0002, seeds: Self.seeds)
        var decoded = 0
        let started = ContinuousClock.now
        let iterations = 5_000
        for index in 0..<iterations {
            let bytes = mutator.next()
            let table = Self.pages[index % Self.pages.count].table
            switch Self.decode(bytes, as: table) {
            case .success:
                decoded += 1
            case .failure(let error):
                let unsafe = error.reason.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
                if error.code != .malformedResponse || unsafe || error.reason.count >= 1000 {
                    Issue.record("\(table): \(error) for \(bytes)")
                }
            }
        }
        let elapsed = ContinuousClock.now - started
        print("Page decoder fuzz: \(iterations) pages (\(decoded) decoded) in \(elapsed), \(Self.rate(iterations, elapsed))/s")
        #expect(decoded > 0)
    }

    // MARK: Regressions found by fuzzing

    @Test("nesting up to the limit parses on a test thread's stack; one level more is an error, not a crash")
    func deepNesting() throws {
        for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
            let deepest = String(repeating: open, count: 512) + "0" + String(repeating: close, count: 512)
            #expect(throws: Never.self) { try JSONParser.parse(Array(deepest.utf8)) }
            let tooDeep = String(repeating: open, count: 513) + "0" + String(repeating: close, count: 513)
            #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(Array(tooDeep.utf8)) }
            let unclosed = String(repeating: open, count: 100_000)
            #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(Array(unclosed.utf8)) }
        }
    }

    @Test("text after the document is an error at path $ (found by fuzzing: the path was empty)")
    func trailingText() throws {
        let error = #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(Array(#"{"a":1} x"#.utf8)) }
        #expect(error?.path == "$")
        #expect(error?.offset == 8)
    }

    @Test("a key holding escaped control characters cannot smuggle them into an error (found by fuzzing)")
    func controlCharactersInPath() throws {
        let body = Array(#"{"data":[{"id\u000a\u001b[31m":1}],"has_more":"yes"}"#.utf8)
        let response = try AdminClient.parse(HTTPResponse(status: 200, body: body), endpoint: "/v1/organizations/users")
        let error = #expect(throws: AdminClientError.self) {
            _ = try ResponseDecoder.listPage(response, pagination: .idCursor)
        }
        #expect(error?.code == .malformedResponse)
        let broken = Array(#"{"ok\u000a\u001b":1,"ok\u000a\u001b":2}"#.utf8)
        let parseError = #expect(throws: AdminClientError.self) {
            _ = try AdminClient.parse(HTTPResponse(status: 200, body: broken), endpoint: "/v1/organizations/users")
        }
        let reason = try #require(parseError?.reason)
        #expect(!reason.unicodeScalars.contains { $0.value < 0x20 }, "\(reason)")
    }

    // MARK: Helpers

    /// A body decoded as the pager decodes `table`'s pages: the row, or the list page and its rows.
    static func decode(_ bytes: [UInt8], as table: AdminTable) -> Result<Int, AdminClientError> {
        let definition = table.definition
        do throws(AdminClientError) {
            let response = try AdminClient.parse(HTTPResponse(status: 200, body: bytes), endpoint: definition.path)
            if definition.pagination == .single {
                _ = try ResponseDecoder.singleRow(response, encoder: definition.encoder)
                return .success(1)
            }
            _ = try ResponseDecoder.listPage(response, pagination: definition.pagination)
            if table == .workspaces { _ = try ResponseDecoder.workspaceIDs(response) }
            let rows = try ResponseDecoder.rows(
                response, encoder: definition.encoder,
                defaultWorkspaceID: definition.isPerWorkspace ? "wrkspc_fuzz" : nil)
            return .success(rows.count)
        } catch {
            return .failure(error)
        }
    }

    static func hasDistinctKeys(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let object):
            return Set(object.keys).count == object.count && object.allSatisfy { hasDistinctKeys($0.value) }
        case .array(let elements):
            return elements.allSatisfy(hasDistinctKeys)
        default:
            return true
        }
    }

    static func rate(_ count: Int, _ elapsed: Duration) -> Int {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return seconds > 0 ? Int(Double(count) / seconds) : count
    }
}
