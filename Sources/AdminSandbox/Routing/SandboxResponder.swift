import AdminClient

/// Builds the JSON body of a successful answer from the dataset and one view of the state.
struct SandboxResponder: Sendable {
    let dataset: SandboxDataset
    let state: SandboxState

    /// The compact JSON bytes of the response body of `route`; Claude Code pages are written straight to
    /// bytes (a page of 1,000 records is the hot path), everything else through ``body(for:)``.
    func encodedBody(for route: SandboxRoute) -> [UInt8] {
        guard case .claudeCode(let day, let offset, let limit) = route else {
            return JSONWriter.encode(.object(body(for: route)))
        }
        let page = ClaudeCodePage(dataset: dataset, state: state, day: day, offset: offset, limit: limit)
        var out: [UInt8] = []
        out.reserveCapacity(page.range.count * 900 + 100)
        out.append(contentsOf: #"{"data":["#.utf8)
        for index in page.range {
            if index > page.range.lowerBound { out.append(UInt8(ascii: ",")) }
            page.generator.record(day: day, index: index, revision: page.revision).write(into: &out)
        }
        out.append(contentsOf: #"],"has_more":"#.utf8)
        out.append(contentsOf: (page.nextPage != nil ? "true" : "false").utf8)
        out.append(contentsOf: #","next_page":"#.utf8)
        if let next = page.nextPage {
            JSONWriter.writeString(next, into: &out)
        } else {
            out.append(contentsOf: "null".utf8)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The response body of `route`.
    func body(for route: SandboxRoute) -> JSONObject {
        switch route {
        case .organization:
            dataset.organization
        case .list(let kind, let query):
            listPage(items: currentItems(kind), idKey: idKey(kind), query: query, allIDs: allIDs(kind))
        case .claudeCode(let day, let offset, let limit):
            claudeCodePage(day: day, offset: offset, limit: limit)
        case .report(let kind, let query):
            reportPage(kind: kind, query: query)
        case .rateLimits(let workspaceID, let offset, let limit):
            rateLimitPage(
                workspaceID.map { dataset.workspaceRateLimits[$0] ?? [] } ?? dataset.rateLimits, offset: offset,
                limit: limit)
        }
    }

    // MARK: Rate limits

    private func rateLimitPage(_ entries: [JSONObject], offset: Int, limit: Int?) -> JSONObject {
        let start = min(offset, entries.count)
        let end = limit.map { min(entries.count, start + $0) } ?? entries.count
        let hasMore = end < entries.count
        return JSONObject(distinct: [
            "data": .array(entries[start..<end].map { .object($0) }),
            "has_more": .bool(hasMore),
            "next_page": hasMore ? .string(PageToken.offset(end)) : .null,
        ])
    }

    // MARK: Lists

    private func idKey(_ kind: SandboxRoute.ListKind) -> String {
        if case .members = kind { return "user_id" }
        return "id"
    }

    private func allIDs(_ kind: SandboxRoute.ListKind) -> [String] {
        let items: [JSONObject]
        switch kind {
        case .workspaces: items = [dataset.defaultWorkspace] + dataset.workspaces
        case .apiKeys: items = dataset.apiKeys
        case .invites: items = dataset.invites
        case .users: items = dataset.users
        case .members(let workspaceID): items = dataset.members[workspaceID] ?? []
        }
        return items.compactMap { $0[idKey(kind)]?.stringValue }
    }

    /// The entities a listing shows now (deletions applied, filters applied), in listing order.
    func currentItems(_ kind: SandboxRoute.ListKind) -> [JSONObject] {
        switch kind {
        case .workspaces(let includeArchived, let includeDefault):
            let custom = dataset.workspaces.filter { includeArchived || $0["archived_at"]?.isNull == true }
            return includeDefault ? [dataset.defaultWorkspace] + custom : custom
        case .apiKeys(let status, let workspaceID, let createdBy):
            return dataset.apiKeys.filter { key in
                guard let id = key["id"]?.stringValue, !state.deletedAPIKeyIDs.contains(id) else { return false }
                if let status, key["status"]?.stringValue != status { return false }
                if let workspaceID, key["workspace_id"]?.stringValue != workspaceID { return false }
                if let createdBy, key["created_by"]?["id"]?.stringValue != createdBy { return false }
                return true
            }
        case .invites:
            return dataset.invites.filter { !state.deletedInviteIDs.contains($0["id"]?.stringValue ?? "") }
        case .users(let email):
            return dataset.users.filter { email == nil || $0["email"]?.stringValue == email }
        case .members(let workspaceID):
            return (dataset.members[workspaceID] ?? []).filter { member in
                let userID = member["user_id"]?.stringValue ?? ""
                return !state.removedMembers.contains(SandboxState.memberKey(workspaceID: workspaceID, userID: userID))
            }
        }
    }

    private func listPage(
        items: [JSONObject], idKey: String, query: SandboxRoute.ListQuery, allIDs: [String]
    ) -> JSONObject {
        var position: [String: Int] = [:]
        for (index, id) in allIDs.enumerated() { position[id] = index }
        let positioned = items.map { (position[$0[idKey]?.stringValue ?? ""] ?? 0, $0) }
        let page: ArraySlice<(Int, JSONObject)>
        let hasMore: Bool
        if let beforeID = query.beforeID, let bound = position[beforeID] {
            let before = positioned.filter { $0.0 < bound }
            page = before.suffix(query.limit)
            hasMore = before.count > query.limit
        } else {
            let bound = query.afterID.flatMap { position[$0] } ?? -1
            let after = positioned.filter { $0.0 > bound }
            page = after.prefix(query.limit)
            hasMore = after.count > query.limit
        }
        let data = page.map { JSONValue.object($0.1) }
        return JSONObject(distinct: [
            "data": .array(data),
            "has_more": .bool(hasMore),
            "first_id": page.first.flatMap { $0.1[idKey] } ?? .null,
            "last_id": page.last.flatMap { $0.1[idKey] } ?? .null,
        ])
    }

    // MARK: Claude Code

    private func claudeCodePage(day: CalendarDay, offset: Int, limit: Int) -> JSONObject {
        let page = ClaudeCodePage(dataset: dataset, state: state, day: day, offset: offset, limit: limit)
        let data = page.range.map {
            JSONValue.object(page.generator.record(day: day, index: $0, revision: page.revision).jsonObject)
        }
        return JSONObject(distinct: [
            "data": .array(data),
            "has_more": .bool(page.nextPage != nil),
            "next_page": .stringOrNull(page.nextPage),
        ])
    }

    /// Which records of a day a Claude Code page holds.
    private struct ClaudeCodePage {
        let generator: ClaudeCodeGenerator
        let revision: Int
        let range: Range<Int>
        let nextPage: String?

        init(dataset: SandboxDataset, state: SandboxState, day: CalendarDay, offset: Int, limit: Int) {
            generator = ClaudeCodeGenerator(dataset: dataset)
            revision = state.revision(of: day)
            let count = generator.recordCount(on: day)
            let end = min(count, offset + limit)
            range = min(offset, end)..<end
            nextPage = end < count ? PageToken.record(day: day, offset: end) : nil
        }
    }

    // MARK: Reports

    private func reportPage(kind: SandboxRoute.ReportKind, query: SandboxRoute.ReportQuery) -> JSONObject {
        var data: [JSONValue] = []
        var day = query.pageStart
        let pageEnd = min(query.end, query.pageStart.adding(days: query.limit))
        while day < pageEnd {
            var bucket = Self.bucket(day)
            bucket.appendUnchecked("results", .array(results(kind, day: day, groupBy: query.groupBy).map { .object($0) }))
            data.append(.object(bucket))
            day = day.adding(days: 1)
        }
        let hasMore = pageEnd < query.end
        return JSONObject(distinct: [
            "data": .array(data),
            "has_more": .bool(hasMore),
            "next_page": hasMore ? .string(PageToken.bucket(pageEnd)) : .null,
        ])
    }

    /// `{"starting_at","ending_at"}` of the daily bucket of `day`.
    static func bucket(_ day: CalendarDay) -> JSONObject {
        JSONObject(distinct: [
            "starting_at": .string(day.midnightTimestamp),
            "ending_at": .string(day.adding(days: 1).midnightTimestamp),
        ])
    }

    /// The results of one bucket, grouped by `groupBy`.
    func results(_ kind: SandboxRoute.ReportKind, day: CalendarDay, groupBy: Set<String>) -> [JSONObject] {
        switch kind {
        case .usage:
            UsageReportGenerator(dataset: dataset).results(day: day, revision: state.revision(of: day), groupBy: groupBy)
        case .cost:
            CostReportGenerator(dataset: dataset).results(day: day, revision: state.revision(of: day), groupBy: groupBy)
        }
    }
}
