import Testing

@testable import AdminClient

/// One contract test per table: the exact request, and the documented example response → exact rows.
@Suite struct TableContractTests {
    @Test("every request carries the key, the API version, the user agent and accept headers")
    func requestHeaders() async throws {
        let harness = try Harness([.ok(#"{"id":"org-1","type":"organization","name":"Acme Corp"}"#)])
        _ = try await harness.client.organization()
        let request = try #require(await harness.transport.requests.first)
        #expect(request.headers.map(\.name) == ["x-api-key", "anthropic-version", "user-agent", "accept"])
        #expect(request.header("x-api-key") == TestKeys.secret)
        #expect(request.header("anthropic-version") == "2023-06-01")
        #expect(
            request.header("user-agent")
                == "anthropic-admin-kafka-streamer/0.1.0 (+https://github.com/anthropic-admin-kafka-streamer)")
        #expect(request.header("accept") == "application/json")
        #expect(request.timeout == .seconds(60))
    }

    @Test("claude_code_usage sends one day and maps the documented example to the contract's flat row")
    func claudeCodeUsage() async throws {
        let harness = try Harness([
            .ok(
                #"""
                {"data":[{"date":"2025-09-01T00:00:00Z",
                  "actor":{"type":"user_actor","email_address":"ana@example.com"},
                  "organization_id":"0b6c1d2e-1111-2222-3333-444455556666",
                  "customer_type":"api","terminal_type":"vscode","is_remote":false,
                  "core_metrics":{"num_sessions":4,"lines_of_code":{"added":210,"removed":37},
                                  "commits_by_claude_code":3,"pull_requests_by_claude_code":1},
                  "tool_actions":{"edit_tool":{"accepted":19,"rejected":2},"write_tool":{"accepted":5,"rejected":0}},
                  "model_breakdown":[{"model":"claude-sonnet-4-20250514",
                     "tokens":{"input":51000,"output":9000,"cache_read":12000,"cache_creation":3000},
                     "estimated_cost":{"currency":"USD","amount":143}}]}],
                 "has_more":false,"next_page":null}
                """#)
        ])
        let pages = try await harness.collect(.claudeCodeUsage, .day(try #require(CalendarDay("2025-09-01"))))
        #expect(
            await harness.transport.urls == [
                "\(baseURL)/v1/organizations/usage_report/claude_code?limit=1000&starting_at=2025-09-01"
            ])
        let row = try #require(pages.first?.rows.first)
        let expected: JSONValue = [
            "date": "2025-09-01T00:00:00Z", "actor_type": "user_actor", "actor_id": "ana@example.com",
            "organization_id": "0b6c1d2e-1111-2222-3333-444455556666", "customer_type": "api",
            "terminal_type": "vscode", "is_remote": false, "num_sessions": 4, "lines_added": 210,
            "lines_removed": 37,
            "commits_by_claude_code": 3, "pull_requests_by_claude_code": 1,
            "edit_tool_accepted": 19, "edit_tool_rejected": 2,
            "multi_edit_tool_accepted": 0, "multi_edit_tool_rejected": 0,
            "write_tool_accepted": 5, "write_tool_rejected": 0,
            "notebook_edit_tool_accepted": 0, "notebook_edit_tool_rejected": 0,
            "total_input_tokens": 51000, "total_output_tokens": 9000, "total_cache_read_tokens": 12000,
            "total_cache_creation_tokens": 3000, "total_estimated_cost_cents": 143,
            "models_used": "claude-sonnet-4-20250514",
            "model_breakdown": [
                [
                    "model": "claude-sonnet-4-20250514",
                    "tokens": ["input": 51000, "output": 9000, "cache_read": 12000, "cache_creation": 3000],
                    "estimated_cost": ["currency": "USD", "amount": 143],
                ]
            ],
        ]
        #expect(row.fields == object(expected))
        #expect(
            row.keyFields
                == object([
                    "date": "2025-09-01T00:00:00Z", "actor_type": "user_actor", "actor_id": "ana@example.com",
                    "terminal_type": "vscode", "is_remote": false,
                ]))
        #expect(pages.count == 1)
        #expect(pages.first?.nextToken == nil)
        #expect(pages.first?.requestID == "req_ok")
    }

    @Test("usage_report sends the fixed group_by set and a window, and maps bucket and extra fields")
    func usageReport() async throws {
        let harness = try Harness([
            .ok(
                #"""
                {"data":[{"starting_at":"2025-09-01T00:00:00Z","ending_at":"2025-09-02T00:00:00Z",
                  "results":[{"api_key_id":"apikey_01AbC","workspace_id":null,"model":"claude-sonnet-4-20250514",
                    "service_tier":"standard","context_window":"0-200k",
                    "uncached_input_tokens":120000,"cache_read_input_tokens":40000,
                    "cache_creation":{"ephemeral_1h_input_tokens":0,"ephemeral_5m_input_tokens":8000},
                    "output_tokens":31000,"server_tool_use":{"web_search_requests":2}}]}],
                 "has_more":false,"next_page":null}
                """#)
        ])
        let start = try #require(CalendarDay("2025-09-01"))
        let pages = try await harness.collect(.usageReport, .window(start: start, end: start.adding(days: 2)))
        #expect(
            await harness.transport.urls == [
                "\(baseURL)/v1/organizations/usage_report/messages?bucket_width=1d"
                    + "&group_by%5B%5D=api_key_id&group_by%5B%5D=workspace_id&group_by%5B%5D=model"
                    + "&group_by%5B%5D=service_tier&limit=31"
                    + "&starting_at=2025-09-01T00:00:00Z&ending_at=2025-09-03T00:00:00Z"
            ])
        let row = try #require(pages.first?.rows.first)
        let expected: JSONValue = [
            "bucket": "2025-09-01T00:00:00Z", "api_key_id": "apikey_01AbC", "workspace_id": nil,
            "model": "claude-sonnet-4-20250514", "service_tier": "standard",
            "input_tokens": 120000, "output_tokens": 31000, "input_cached_tokens": 40000,
            "api_first_response_latency_ms_p50": nil, "api_first_response_latency_ms_p95": nil,
            "api_first_response_latency_ms_p99": nil, "api_total_latency_ms_p50": nil,
            "api_total_latency_ms_p95": nil, "api_total_latency_ms_p99": nil, "api_request_count": nil,
            "server_tool_search_count": 2, "server_tool_result_count": nil,
            "bucket_end": "2025-09-02T00:00:00Z",
            "cache_creation_ephemeral_1h_input_tokens": 0, "cache_creation_ephemeral_5m_input_tokens": 8000,
            "cache_read_input_tokens": 40000, "context_window": "0-200k",
            "server_tool_use_web_search_requests": 2, "uncached_input_tokens": 120000,
        ]
        #expect(row.fields == object(expected))
        #expect(
            row.keyFields
                == object([
                    "bucket": "2025-09-01T00:00:00Z", "api_key_id": "apikey_01AbC", "workspace_id": nil,
                    "model": "claude-sonnet-4-20250514", "service_tier": "standard",
                ]))
    }

    @Test("usage_report with usageGroupBy: more group_by[] in canonical order, the speed beta header, a longer key")
    func usageReportGroupBy() async throws {
        let harness = try Harness(
            [
                .ok(
                    #"""
                    {"data":[{"starting_at":"2025-09-01T00:00:00Z","ending_at":"2025-09-02T00:00:00Z",
                      "results":[{"api_key_id":null,"workspace_id":null,"model":"m","service_tier":"standard",
                        "context_window":"0-200k","speed":"fast","inference_geo":null,
                        "uncached_input_tokens":1,"cache_read_input_tokens":0,"output_tokens":2,
                        "cache_creation":{"ephemeral_1h_input_tokens":0,"ephemeral_5m_input_tokens":0},
                        "server_tool_use":{"web_search_requests":0}}]}],
                     "has_more":false,"next_page":null}
                    """#)
            ], configure: { $0.usageGroupBy = [.speed, .contextWindow] })
        let start = try #require(CalendarDay("2025-09-01"))
        let pages = try await harness.collect(.usageReport, .window(start: start, end: start.adding(days: 1)))
        #expect(
            await harness.transport.urls == [
                "\(baseURL)/v1/organizations/usage_report/messages?bucket_width=1d"
                    + "&group_by%5B%5D=api_key_id&group_by%5B%5D=workspace_id&group_by%5B%5D=model"
                    + "&group_by%5B%5D=service_tier&group_by%5B%5D=context_window&group_by%5B%5D=speed&limit=31"
                    + "&starting_at=2025-09-01T00:00:00Z&ending_at=2025-09-02T00:00:00Z"
            ])
        #expect(await harness.transport.requests.first?.header("anthropic-beta") == "fast-mode-2026-02-01")
        let row = try #require(pages.first?.rows.first)
        #expect(
            row.keyFields
                == object([
                    "bucket": "2025-09-01T00:00:00Z", "api_key_id": nil, "workspace_id": nil, "model": "m",
                    "service_tier": "standard", "context_window": "0-200k", "speed": "fast",
                ]))
        #expect(Array(row.fields.keys.prefix(7)) == ["bucket", "api_key_id", "workspace_id", "model", "service_tier", "context_window", "speed"])
    }

    @Test("each usage_report grouping is one key shape: the seed's five fields, then the chosen dimensions in order",
          arguments: [
            ([UsageDimension](), [String]()),
            ([.accountID], ["account_id"]),
            ([.speed, .inferenceGeo, .serviceAccountID], ["inference_geo", "service_account_id", "speed"]),
            (UsageDimension.allCases.reversed(), UsageDimension.allCases.map(\.rawValue)),
          ])
    func usageKeyShapes(chosen: [UsageDimension], extra: [String]) {
        let definition = TableDefinition.usageReport(groupBy: chosen)
        #expect(definition.keyColumns == ["bucket", "api_key_id", "workspace_id", "model", "service_tier"] + extra)
        #expect(definition.betaHeaders == (chosen.contains(.speed) ? ["fast-mode-2026-02-01"] : []))
    }

    @Test("a dimension listed twice in usageGroupBy is refused at creation")
    func usageGroupByDuplicates() {
        #expect(throws: AdminClientError.self) {
            try Harness([], configure: { $0.usageGroupBy = [.speed, .speed] })
        }
        #expect(UsageDimension.parseList("speed, context_window") == .success([.contextWindow, .speed]))
        #expect(UsageDimension.parseList("speed,colour") == .failure(.unknown("colour")))
    }

    @Test("a .day query on a report table is a one-day window")
    func reportDayIsWindow() async throws {
        let harness = try Harness([.ok(#"{"data":[],"has_more":false,"next_page":null}"#)])
        _ = try await harness.collect(.costReport, .day(try #require(CalendarDay("2025-12-31"))))
        #expect(
            await harness.transport.urls == [
                "\(baseURL)/v1/organizations/cost_report?bucket_width=1d&group_by%5B%5D=workspace_id"
                    + "&group_by%5B%5D=description&limit=31"
                    + "&starting_at=2025-12-31T00:00:00Z&ending_at=2026-01-01T00:00:00Z"
            ])
    }

    @Test("cost_report keeps every digit of the decimal amount and every result field")
    func costReport() async throws {
        let harness = try Harness([
            .ok(
                #"""
                {"data":[{"starting_at":"2025-09-01T00:00:00Z","ending_at":"2025-09-02T00:00:00Z",
                  "results":[{"currency":"USD","amount":"1834.5012","workspace_id":"wrkspc_01XyZ",
                    "description":"Claude Sonnet 4 Usage - Input Tokens","cost_type":"tokens",
                    "context_window":"0-200k","model":"claude-sonnet-4-20250514","service_tier":"standard",
                    "token_type":"uncached_input_tokens"}]}],
                 "has_more":false,"next_page":null}
                """#)
        ])
        let start = try #require(CalendarDay("2025-09-01"))
        let pages = try await harness.collect(.costReport, .window(start: start, end: start.adding(days: 1)))
        #expect(
            await harness.transport.urls == [
                "\(baseURL)/v1/organizations/cost_report?bucket_width=1d&group_by%5B%5D=workspace_id"
                    + "&group_by%5B%5D=description&limit=31"
                    + "&starting_at=2025-09-01T00:00:00Z&ending_at=2025-09-02T00:00:00Z"
            ])
        let row = try #require(pages.first?.rows.first)
        let expected: JSONValue = [
            "bucket": "2025-09-01T00:00:00Z", "workspace_id": "wrkspc_01XyZ",
            "description": "Claude Sonnet 4 Usage - Input Tokens", "amount_cents": decimal("1834.5012"),
            "cost_type": "tokens", "model": "claude-sonnet-4-20250514", "service_tier": "standard",
            "token_type": "uncached_input_tokens", "context_window": "0-200k",
            "bucket_end": "2025-09-02T00:00:00Z", "currency": "USD",
        ]
        #expect(row.fields == object(expected))
        #expect(JSONWriter.string(row["amount_cents"] ?? nil) == "1834.5012")
    }

    @Test("organization reads /v1/organizations/me as one row")
    func organization() async throws {
        let body = #"{"id":"12345678-1234-5678-1234-567812345678","type":"organization","name":"Acme Corp"}"#
        let harness = try Harness([.ok(body), .ok(body)])
        let row = try await harness.client.organization()
        let expected: JSONValue = [
            "id": "12345678-1234-5678-1234-567812345678", "name": "Acme Corp", "settings": nil, "created_at": nil,
            "type": "organization",
        ]
        #expect(row.fields == object(expected))
        let pages = try await harness.collect(.organization, .snapshot)
        #expect(pages.map { $0.rows.map(\.fields) } == [[row.fields]])
        #expect(await harness.transport.urls == Array(repeating: "\(baseURL)/v1/organizations/me", count: 2))
    }

    @Test("workspaces lists the archived and the default workspace, typing the one the custom listing lacks default")
    func workspaces() async throws {
        let platform = #"""
            {"id":"wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ","type":"workspace","name":"Platform",
             "created_at":"2024-10-30T23:58:27.427722Z","archived_at":null,"display_color":"#6C5BB9"}
            """#
        let standard = #"""
            {"id":"wrkspc_01Default000000000000000","type":"workspace","name":"Default",
             "created_at":"2024-01-01T00:00:00Z","archived_at":null,"display_color":"#000000"}
            """#
        let harness = try Harness([
            .ok(#"{"data":[\#(standard),\#(platform)],"has_more":false,"first_id":null,"last_id":null}"#),
            .ok(#"{"data":[\#(platform)],"has_more":false,"first_id":null,"last_id":null}"#),
        ])
        let pages = try await harness.collect(.workspaces, .snapshot)
        #expect(
            await harness.transport.urls == [
                "\(baseURL)/v1/organizations/workspaces?include_archived=true&include_default=true&limit=1000",
                "\(baseURL)/v1/organizations/workspaces?include_archived=true&limit=1000",
            ])
        let rows = try #require(pages.first?.rows)
        #expect(rows.map { $0["type"] } == ["default", "custom"])
        let expected: JSONValue = [
            "id": "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ", "name": "Platform", "type": "custom",
            "created_at": "2024-10-30T23:58:27.427722Z", "archived_at": nil, "display_color": "#6C5BB9",
        ]
        #expect(rows.last?.fields == object(expected))
    }

    @Test("api_keys: workspace_id comes from scope (the default workspace too); scope, principal, expires_at are columns")
    func apiKeys() async throws {
        let harness = try Harness([
            .ok(
                #"""
                {"data":[{"id":"apikey_01Rj2N8SVvo6BePZj99NhmiT","type":"api_key","name":"Developer Key",
                  "workspace_id":null,"created_at":"2024-10-30T23:58:27.427722Z",
                  "created_by":{"id":"user_01WCz1FkmYMm4gnmykNKUu3Q","type":"user"},
                  "partial_key_hint":"sk-ant-api03-R2D...igAA","status":"expired",
                  "expires_at":"2025-01-28T23:58:27Z",
                  "scope":{"type":"workspace","workspace_id":"wrkspc_01Default000000000000000"},"principal":null},
                 {"id":"apikey_02","type":"api_key","name":"Bot","workspace_id":null,
                  "created_at":"2024-10-30T23:58:27Z","created_by":null,"status":"active","expires_at":null,
                  "scope":{"type":"organization"},"principal":{"type":"service_account_actor","service_account_id":"svcacct_01"}}],
                 "has_more":false,"first_id":"apikey_01Rj2N8SVvo6BePZj99NhmiT","last_id":"apikey_02"}
                """#)
        ])
        let pages = try await harness.collect(.apiKeys, .snapshot)
        #expect(await harness.transport.urls == ["\(baseURL)/v1/organizations/api_keys?limit=1000"])
        let expected: JSONValue = [
            "id": "apikey_01Rj2N8SVvo6BePZj99NhmiT", "name": "Developer Key", "status": "expired",
            "created_at": "2024-10-30T23:58:27.427722Z", "workspace_id": "wrkspc_01Default000000000000000",
            "created_by_user_id": "user_01WCz1FkmYMm4gnmykNKUu3Q", "last_used_at": nil,
            "expires_at": "2025-01-28T23:58:27Z", "scope_type": "workspace",
            "scope_workspace_id": "wrkspc_01Default000000000000000", "principal_type": nil, "principal_id": nil,
            "created_by_id": "user_01WCz1FkmYMm4gnmykNKUu3Q", "created_by_type": "user",
            "partial_key_hint": "sk-ant-api03-R2D...igAA", "type": "api_key",
        ]
        let rows = try #require(pages.first?.rows)
        #expect(rows.first?.fields == object(expected))
        #expect(rows.last?["workspace_id"] == .null, "an organization-scoped key has no workspace")
        #expect(rows.last?["scope_type"] == "organization")
        #expect(rows.last?["principal_type"] == "service_account_actor")
        #expect(rows.last?["principal_id"] == "svcacct_01")
    }

    @Test("api_keys without scope (older API versions) fall back to the deprecated workspace_id")
    func apiKeysLegacyWorkspace() async throws {
        let harness = try Harness([
            .ok(
                #"""
                {"data":[{"id":"apikey_01","type":"api_key","name":"Old","workspace_id":"wrkspc_01Legacy",
                  "created_at":"2024-10-30T23:58:27Z","created_by":null,"status":"active"}],
                 "has_more":false,"first_id":"apikey_01","last_id":"apikey_01"}
                """#)
        ])
        let row = try #require(try await harness.collect(.apiKeys, .snapshot).first?.rows.first)
        #expect(row["workspace_id"] == "wrkspc_01Legacy")
        #expect(row["scope_type"] == .null)
    }

    @Test("rate_limits follows next_page and maps the group, its models and its limits")
    func rateLimits() async throws {
        let harness = try Harness([
            .ok(
                #"""
                {"data":[{"type":"rate_limit","id":"rl_01A",
                  "group":{"type":"model_group","id":"rlg_01VPTCmyiu5ZLsWkcxYG2pY8","display_name":"Claude Sonnet 4.x"},
                  "group_type":"model_group","models":["claude-sonnet-4-5"],
                  "limits":[{"type":"requests_per_minute","value":4000}]}],
                 "has_more":true,"next_page":"page_2"}
                """#),
            .ok(
                #"""
                {"data":[{"type":"rate_limit","id":"rl_01B","group":{"type":"batch","id":"rlg_01B"},"group_type":"batch",
                  "models":null,"limits":[{"type":"batch_requests_in_queue","value":500000}]}],
                 "has_more":false,"next_page":null}
                """#),
        ])
        let pages = try await harness.collect(.rateLimits, .snapshot)
        #expect(
            await harness.transport.urls == [
                "\(baseURL)/v1/organizations/rate_limits?limit=1000",
                "\(baseURL)/v1/organizations/rate_limits?limit=1000&page=page_2",
            ])
        let expected: JSONValue = [
            "id": "rl_01A", "group_type": "model_group", "group_id": "rlg_01VPTCmyiu5ZLsWkcxYG2pY8",
            "group_display_name": "Claude Sonnet 4.x", "models": ["claude-sonnet-4-5"],
            "limits": [["type": "requests_per_minute", "value": 4000]], "type": "rate_limit",
        ]
        #expect(pages.first?.rows.first?.fields == object(expected))
        let batch = try #require(pages.last?.rows.first)
        #expect(batch.keyFields == object(["id": "rl_01B"]))
        #expect(batch["group_display_name"] == .null)
        #expect(batch["models"] == .null)
    }

    @Test("workspace_rate_limits lists each custom workspace's overrides, following next_page, keyed by workspace and entry")
    func workspaceRateLimits() async throws {
        let harness = try Harness([
            .ok(#"{"data":[{"id":"wrkspc_A","type":"workspace"},{"id":"wrkspc_B","type":"workspace"}],"has_more":false,"first_id":"wrkspc_A","last_id":"wrkspc_B"}"#),
            .ok(
                #"""
                {"data":[{"type":"workspace_rate_limit","workspace_id":"wrkspc_A","rate_limit_id":"rl_01A",
                  "group":{"type":"model_group","id":"rlg_01"},"group_type":"model_group","models":["m"],
                  "limits":[{"type":"requests_per_minute","value":1000,"org_limit":4000,"source":{"type":"workspace"}}]}],
                 "has_more":true,"next_page":"page_a2"}
                """#),
            .ok(#"{"data":[],"has_more":false,"next_page":null}"#),
            .ok(#"{"data":[],"has_more":false,"next_page":null}"#),
        ])
        let pages = try await harness.collect(.workspaceRateLimits, .snapshot)
        #expect(
            await harness.transport.urls == [
                "\(baseURL)/v1/organizations/workspaces?include_archived=true&limit=1000",
                "\(baseURL)/v1/organizations/workspaces/wrkspc_A/rate_limits?limit=1000",
                "\(baseURL)/v1/organizations/workspaces/wrkspc_A/rate_limits?limit=1000&page=page_a2",
                "\(baseURL)/v1/organizations/workspaces/wrkspc_B/rate_limits?limit=1000",
            ])
        let row = try #require(pages.first?.rows.first)
        #expect(row.keyFields == object(["workspace_id": "wrkspc_A", "rate_limit_id": "rl_01A"]))
        #expect(row["limits"]?.arrayValue?.first?["source"]?["type"] == "workspace")
        #expect(pages.map(\.workspaceID) == ["wrkspc_A", "wrkspc_A", "wrkspc_B"])
    }

    @Test("invites map invited_at to created_at")
    func invites() async throws {
        let harness = try Harness([
            .ok(
                #"""
                {"data":[{"id":"invite_015gWxCN9Hfg2QhZwTK7Mdeu","type":"invite","email":"user@emaildomain.com",
                  "role":"user","invited_at":"2024-10-30T23:58:27.427722Z","expires_at":"2024-11-20T23:58:27.427722Z",
                  "status":"pending"}],
                 "has_more":false,"first_id":"invite_015gWxCN9Hfg2QhZwTK7Mdeu","last_id":"invite_015gWxCN9Hfg2QhZwTK7Mdeu"}
                """#)
        ])
        let pages = try await harness.collect(.invites, .snapshot)
        #expect(await harness.transport.urls == ["\(baseURL)/v1/organizations/invites?limit=1000"])
        let expected: JSONValue = [
            "id": "invite_015gWxCN9Hfg2QhZwTK7Mdeu", "email": "user@emaildomain.com", "role": "user",
            "expires_at": "2024-11-20T23:58:27.427722Z", "workspace_ids": nil,
            "created_at": "2024-10-30T23:58:27.427722Z", "created_by_user_id": nil,
            "status": "pending", "type": "invite",
        ]
        #expect(pages.first?.rows.first?.fields == object(expected))
    }

    @Test("users map added_at to created_at")
    func users() async throws {
        let harness = try Harness([
            .ok(
                #"""
                {"data":[{"type":"user","id":"user_01WCz1FkmYMm4gnmykNKUu3Q","email":"ana@example.com",
                          "name":"Ana Lima","role":"developer","added_at":"2024-10-30T23:58:27.427722Z"}],
                 "has_more":false,"first_id":"user_01WCz1FkmYMm4gnmykNKUu3Q","last_id":"user_01WCz1FkmYMm4gnmykNKUu3Q"}
                """#)
        ])
        let pages = try await harness.collect(.users, .snapshot)
        #expect(await harness.transport.urls == ["\(baseURL)/v1/organizations/users?limit=1000"])
        let expected: JSONValue = [
            "id": "user_01WCz1FkmYMm4gnmykNKUu3Q", "email": "ana@example.com", "name": "Ana Lima",
            "role": "developer", "created_at": "2024-10-30T23:58:27.427722Z", "last_login_at": nil, "type": "user",
        ]
        #expect(pages.first?.rows.first?.fields == object(expected))
    }

    @Test("workspace_members lists every workspace, then each one's members, filling a missing workspace_id")
    func workspaceMembers() async throws {
        let harness = try Harness([
            .ok(
                #"{"data":[{"id":"wrkspc_A","type":"workspace","name":"A"}],"has_more":true,"first_id":"wrkspc_A","last_id":"wrkspc_A"}"#
            ),
            .ok(
                #"{"data":[{"id":"wrkspc_B","type":"workspace","name":"B"}],"has_more":false,"first_id":"wrkspc_B","last_id":"wrkspc_B"}"#
            ),
            .ok(
                #"""
                {"data":[{"type":"workspace_member","user_id":"user_1","workspace_id":"wrkspc_A","workspace_role":"workspace_user"}],
                 "has_more":true,"first_id":"user_1","last_id":"user_1"}
                """#),
            .ok(
                #"""
                {"data":[{"type":"workspace_member","user_id":"user_2","workspace_id":"wrkspc_A","workspace_role":"workspace_admin"}],
                 "has_more":false,"first_id":"user_2","last_id":"user_2"}
                """#),
            .ok(
                #"""
                {"data":[{"type":"workspace_member","user_id":"user_1","workspace_role":"workspace_developer"}],
                 "has_more":false,"first_id":"user_1","last_id":"user_1"}
                """#),
        ])
        let pages = try await harness.collect(.workspaceMembers, .snapshot)
        #expect(
            await harness.transport.urls == [
                "\(baseURL)/v1/organizations/workspaces?include_archived=true&limit=1000",
                "\(baseURL)/v1/organizations/workspaces?include_archived=true&limit=1000&after_id=wrkspc_A",
                "\(baseURL)/v1/organizations/workspaces/wrkspc_A/members?limit=1000",
                "\(baseURL)/v1/organizations/workspaces/wrkspc_A/members?limit=1000&after_id=user_1",
                "\(baseURL)/v1/organizations/workspaces/wrkspc_B/members?limit=1000",
            ])
        #expect(pages.map(\.index) == [0, 1, 2])
        #expect(pages.map(\.workspaceID) == ["wrkspc_A", "wrkspc_A", "wrkspc_B"])
        #expect(pages.map(\.nextToken) == ["user_1", nil, nil])
        let rows = pages.flatMap(\.rows).map(\.fields)
        #expect(
            rows == [
                object([
                    "workspace_id": "wrkspc_A", "user_id": "user_1", "role": "workspace_user", "added_at": nil,
                    "type": "workspace_member",
                ]),
                object([
                    "workspace_id": "wrkspc_A", "user_id": "user_2", "role": "workspace_admin", "added_at": nil,
                    "type": "workspace_member",
                ]),
                object([
                    "workspace_id": "wrkspc_B", "user_id": "user_1", "role": "workspace_developer", "added_at": nil,
                    "type": "workspace_member",
                ]),
            ])
        #expect(pages.last?.rows.first?.keyFields == object(["workspace_id": "wrkspc_B", "user_id": "user_1"]))
    }

    @Test("workspace_members yields no page when there is no workspace")
    func workspaceMembersWithoutWorkspaces() async throws {
        let harness = try Harness([.ok(#"{"data":[],"has_more":false,"first_id":null,"last_id":null}"#)])
        let pages = try await harness.collect(.workspaceMembers, .snapshot)
        #expect(pages.isEmpty)
        #expect(await harness.transport.requests.count == 1)
    }
}
