import AdminClient

/// Turns a request into a ``SandboxRoute``, validating every parameter as the Admin API documents it.
struct SandboxRouter: Sendable {
    let dataset: SandboxDataset

    /// The route of an authenticated request.
    ///
    /// - Throws: ``SandboxAPIError`` 404 for unknown paths and workspaces, 405 for other methods than GET,
    ///   400 for invalid parameters.
    func route(_ request: SandboxHTTPRequest) throws(SandboxAPIError) -> SandboxRoute {
        let components = request.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard components.count >= 3, components[0] == "v1", components[1] == "organizations" else {
            throw .notFound("Not found: \(request.path)")
        }
        let rest = Array(components.dropFirst(2))
        let route: SandboxRoute
        switch rest {
        case ["me"]:
            route = .organization
        case ["users"]:
            route = .list(.users(email: request.value(of: "email")), try listQuery(request, ids: ids(dataset.users)))
        case ["invites"]:
            route = .list(.invites, try listQuery(request, ids: ids(dataset.invites)))
        case ["api_keys"]:
            if let status = request.value(of: "status"), !["active", "inactive", "archived", "expired"].contains(status) {
                throw .invalidRequest("status: must be one of active, inactive, archived, expired")
            }
            route = .list(
                .apiKeys(
                    status: request.value(of: "status"), workspaceID: request.value(of: "workspace_id"),
                    createdByUserID: request.value(of: "created_by_user_id")),
                try listQuery(request, ids: dataset.apiKeyIDs))
        case ["workspaces"]:
            let includeArchived = try boolean(request, "include_archived") ?? false
            let includeDefault = try boolean(request, "include_default") ?? false
            route = .list(
                .workspaces(includeArchived: includeArchived, includeDefault: includeDefault),
                try listQuery(request, ids: [dataset.defaultWorkspaceID] + dataset.workspaceIDs))
        case let parts where parts.count == 3 && parts[0] == "workspaces" && parts[2] == "members":
            let workspaceID = parts[1]
            guard let members = dataset.members[workspaceID] else {
                throw .notFound("Workspace \(workspaceID) not found")
            }
            route = .list(.members(workspaceID: workspaceID), try listQuery(request, ids: ids(members, key: "user_id")))
        case ["rate_limits"]:
            route = try rateLimits(request, workspaceID: nil, count: dataset.rateLimits.count)
        case let parts where parts.count == 3 && parts[0] == "workspaces" && parts[2] == "rate_limits":
            guard let entries = dataset.workspaceRateLimits[parts[1]] else {
                throw .notFound("Workspace \(parts[1]) not found")
            }
            route = try rateLimits(request, workspaceID: parts[1], count: entries.count)
        case ["usage_report", "claude_code"]:
            route = try claudeCode(request)
        case ["usage_report", "messages"]:
            route = .report(.usage, try reportQuery(request, kind: .usage))
        case ["cost_report"]:
            route = .report(.cost, try reportQuery(request, kind: .cost))
        default:
            throw .notFound("Not found: \(request.path)")
        }
        guard request.method == "GET" else {
            throw SandboxAPIError(status: 405, type: "invalid_request_error", message: "Method \(request.method) not allowed")
        }
        return route
    }

    private func ids(_ items: [JSONObject], key: String = "id") -> [String] {
        items.compactMap { $0[key]?.stringValue }
    }

    private func limit(_ request: SandboxHTTPRequest, default value: Int, maximum: Int) throws(SandboxAPIError) -> Int {
        guard let text = request.value(of: "limit") else { return value }
        guard let limit = Int(text), (1...maximum).contains(limit) else {
            throw .invalidRequest("limit: Input should be an integer between 1 and \(maximum), got \(text)")
        }
        return limit
    }

    private func boolean(_ request: SandboxHTTPRequest, _ name: String) throws(SandboxAPIError) -> Bool? {
        guard let text = request.value(of: name) else { return nil }
        switch text.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw .invalidRequest("\(name): Input should be a valid boolean, got \(text)")
        }
    }

    private func listQuery(_ request: SandboxHTTPRequest, ids: [String]) throws(SandboxAPIError) -> SandboxRoute.ListQuery {
        let query = SandboxRoute.ListQuery(
            limit: try limit(request, default: 20, maximum: 1000),
            afterID: request.value(of: "after_id"),
            beforeID: request.value(of: "before_id"))
        if query.afterID != nil, query.beforeID != nil {
            throw .invalidRequest("after_id and before_id cannot both be set")
        }
        for (name, id) in [("after_id", query.afterID), ("before_id", query.beforeID)] {
            if let id, !ids.contains(id) { throw .invalidRequest("\(name): unknown id \(id)") }
        }
        return query
    }

    /// Rate limits: `limit` optional (1…1000; omitted: everything on one page), `page` from `next_page`,
    /// `group_type` and `include_inherited` validated (the sandbox has no inherited values to add).
    private func rateLimits(
        _ request: SandboxHTTPRequest, workspaceID: String?, count: Int
    ) throws(SandboxAPIError) -> SandboxRoute {
        let groupTypes = ["batch", "files", "model_group", "skills", "token_count", "web_search"]
        if let groupType = request.value(of: "group_type"), !groupTypes.contains(groupType) {
            throw .invalidRequest("group_type: Input should be one of \(groupTypes.joined(separator: ", ")), got \(groupType)")
        }
        if workspaceID != nil { _ = try boolean(request, "include_inherited") }
        let limit: Int? = request.value(of: "limit") == nil ? nil : try self.limit(request, default: 1000, maximum: 1000)
        var offset = 0
        if let token = request.value(of: "page") {
            guard let position = PageToken.parseOffset(token), position <= count else {
                throw .invalidRequest("page: invalid page token")
            }
            offset = position
        }
        return .rateLimits(workspaceID: workspaceID, offset: offset, limit: limit)
    }

    private func claudeCode(_ request: SandboxHTTPRequest) throws(SandboxAPIError) -> SandboxRoute {
        guard let text = request.value(of: "starting_at") else {
            throw .invalidRequest("starting_at: Field required")
        }
        guard text.utf8.count == 10, text.utf8.enumerated().allSatisfy({ offset, byte in
            offset == 4 || offset == 7 ? byte == UInt8(ascii: "-") : (byte >= 0x30 && byte <= 0x39)
        }), let day = CalendarDay(text)
        else {
            throw .invalidRequest("starting_at: String should match pattern '^\\d{4}-\\d{2}-\\d{2}$', got \(text)")
        }
        let limit = try limit(request, default: 20, maximum: 1000)
        var offset = 0
        if let token = request.value(of: "page") {
            guard let position = PageToken.parseRecord(token), position.day == day else {
                throw .invalidRequest("page: invalid page token for starting_at \(text)")
            }
            offset = position.offset
        }
        return .claudeCode(day: day, offset: offset, limit: limit)
    }

    private func reportQuery(
        _ request: SandboxHTTPRequest, kind: SandboxRoute.ReportKind
    ) throws(SandboxAPIError) -> SandboxRoute.ReportQuery {
        switch request.value(of: "bucket_width") ?? "1d" {
        case "1d": break
        case let other where kind == .usage && (other == "1h" || other == "1m"):
            throw .invalidRequest("bucket_width: only 1d is supported in the sandbox")
        case let other:
            throw .invalidRequest("bucket_width: Input should be \(kind == .usage ? "'1d', '1h' or '1m'" : "'1d'"), got \(other)")
        }
        guard let startText = request.value(of: "starting_at") else {
            throw .invalidRequest("starting_at: Field required")
        }
        guard let startSeconds = SandboxTimestamp.parseSeconds(startText) else {
            throw .invalidRequest("starting_at: Input should be a valid RFC 3339 datetime, got \(startText)")
        }
        let start = CalendarDay(daysSinceEpoch: CalendarDayMath.day(ofSeconds: startSeconds))
        var end = dataset.configuration.today.adding(days: 1)
        if let endText = request.value(of: "ending_at") {
            guard let endSeconds = SandboxTimestamp.parseSeconds(endText) else {
                throw .invalidRequest("ending_at: Input should be a valid RFC 3339 datetime, got \(endText)")
            }
            guard endSeconds > startSeconds else { throw .invalidRequest("ending_at must be after starting_at") }
            // Buckets are whole days; a partial last day still gets its bucket.
            end = CalendarDay(daysSinceEpoch: CalendarDayMath.day(ofSeconds: endSeconds + 86_399))
        }
        let limit = try limit(request, default: 7, maximum: 31)
        var pageStart = start
        if let token = request.value(of: "page") {
            guard let day = PageToken.parseBucket(token), day >= start, day < end else {
                throw .invalidRequest("page: invalid page token")
            }
            pageStart = day
        }
        let allowed = kind == .usage ? UsageReportGenerator.dimensions : CostReportGenerator.dimensions
        var groupBy: Set<String> = []
        for item in request.queryItems where item.name == "group_by[]" || item.name == "group_by" || isIndexedGroupBy(item.name) {
            guard allowed.contains(item.value) else {
                throw .invalidRequest("group_by: Input should be one of \(allowed.joined(separator: ", ")), got \(item.value)")
            }
            groupBy.insert(item.value)
        }
        if groupBy.contains("speed"), request.header("anthropic-beta")?.contains(UsageDimension.speedBeta) != true {
            throw .invalidRequest("group_by: speed requires the anthropic-beta header \(UsageDimension.speedBeta)")
        }
        return SandboxRoute.ReportQuery(start: start, end: end, pageStart: pageStart, limit: limit, groupBy: groupBy)
    }

    private func isIndexedGroupBy(_ name: String) -> Bool {
        name.hasPrefix("group_by[") && name.hasSuffix("]") && Int(name.dropFirst(9).dropLast()) != nil
    }
}
