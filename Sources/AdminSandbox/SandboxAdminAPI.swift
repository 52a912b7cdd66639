import AdminClient

/// A sandbox Anthropic Admin API: an HTTP/1.1 server on loopback that serves the Admin API endpoints the streamer reads
/// in their documented wire format, with deterministic synthetic data.
///
/// Usage, cost and Claude Code rows are generated per day and page from the seed, never held in memory,
/// so a configuration can serve millions of rows. Tests steer it with faults (``inject(_:)``), revisions
/// (``revise(day:)``) and deletions, and compare what a client read with ``servedItems(_:)``.
///
/// What it serves (all `GET`, `x-api-key` = ``SandboxConfiguration/adminKey`` else 401,
/// `anthropic-version: 2023-06-01` else 400, a `request-id: req_…` header on every answer):
/// - `/v1/organizations/me`;
/// - `/v1/organizations/{users,workspaces,api_keys,invites}` and `/workspaces/{id}/members` with `limit`
///   (1…1000, default 20), `after_id`/`before_id`, `include_archived`/`include_default` (workspaces),
///   `status`/`workspace_id`/
///   `created_by_user_id` (api keys), `email` (users); unknown workspace → 404;
/// - `/v1/organizations/rate_limits` and `/workspaces/{id}/rate_limits` (`limit` 1…1000 optional: omitted, every
///   entry on one page; `page`; `group_type`, `include_inherited` validated);
/// - `/v1/organizations/usage_report/claude_code` (`starting_at=YYYY-MM-DD`, `limit` 1…1000, `page`);
/// - `/v1/organizations/usage_report/messages` and `/v1/organizations/cost_report` (`starting_at`,
///   `ending_at`, `bucket_width=1d` only, `limit` 1…31 default 7, `page`, `group_by[]` in any of the
///   `group_by[]`, `group_by%5B%5D`, `group_by[0]` spellings). Filters (`models[]`, …) are accepted and
///   ignored. In query strings `+` is a literal plus (RFC 3339 offsets), not a space.
///
/// ```swift
/// let sandbox = SandboxAdminAPI()
/// let baseURL = try await sandbox.start()
/// defer { Task { try await sandbox.stop() } }
/// ```
public actor SandboxAdminAPI {
    /// The configuration everything served derives from.
    public nonisolated let configuration: SandboxConfiguration
    /// The entities, built once.
    nonisolated let dataset: SandboxDataset
    private nonisolated let router: SandboxRouter

    private var state = SandboxState()
    private var faults: [SandboxFault] = []
    private var log: [SandboxRequest] = []
    private var server: SandboxHTTPServer?

    /// `http://HOST:PORT` while the server runs, else `nil`.
    public private(set) var baseURL: String?

    /// A sandbox serving `configuration`'s data; call ``start(host:port:)`` to listen.
    ///
    /// - Parameter configuration: the organization and data to serve.
    public init(configuration: SandboxConfiguration = .init()) {
        self.configuration = configuration
        self.dataset = SandboxDataset(configuration: configuration)
        self.router = SandboxRouter(dataset: dataset)
    }

    /// Starts listening.
    ///
    /// - Parameters:
    ///   - host: the address to bind. Default: `127.0.0.1`.
    ///   - port: the port; 0 picks a free one. Default: 0.
    /// - Returns: the base URL, e.g. `http://127.0.0.1:49152`.
    /// - Throws: ``SandboxError`` when already started or the socket cannot be bound.
    public func start(host: String = "127.0.0.1", port: Int = 0) async throws -> String {
        guard server == nil else {
            throw SandboxError(code: .alreadyStarted, reason: "the sandbox already listens on \(baseURL ?? "?")")
        }
        let server = try await SandboxHTTPServer.start(host: host, port: port, api: self)
        if let running = self.server {
            // Another start won the race while binding: keep the first.
            try? await server.stop()
            throw SandboxError(code: .alreadyStarted, reason: "the sandbox already listens on port \(running.port)")
        }
        self.server = server
        let hostText = host.contains(":") ? "[\(host)]" : host
        let url = "http://\(hostText):\(server.port)"
        baseURL = url
        return url
    }

    /// Stops listening and closes every connection. Does nothing when not started.
    ///
    /// Call it once the requests you sent have been answered: a response still being generated (e.g. held
    /// back by a ``SandboxFault/slow(count:delay:)`` fault) is dropped with its connection.
    ///
    /// - Throws: ``SandboxError`` when the event loop cannot be shut down.
    public func stop() async throws {
        guard let server else { return }
        self.server = nil
        baseURL = nil
        try await server.stop()
    }

    /// Queues a fault for the next requests (see ``SandboxFault`` for how faults are consumed).
    ///
    /// - Parameter fault: the fault; one with a count below 1 is ignored.
    public func inject(_ fault: SandboxFault) {
        guard fault.count > 0 else { return }
        faults.append(fault)
    }

    /// Drops every queued fault.
    public func clearFaults() {
        faults.removeAll()
    }

    /// Revises the usage/cost/claude-code rows of `day` (values change, keys stay): the next fetch serves
    /// new numbers.
    ///
    /// - Parameter day: the day to revise; may be revised again.
    public func revise(day: CalendarDay) {
        state.revisions[day, default: 0] += 1
    }

    /// Deletes an API key: it disappears from the next `api_keys` listing (usage history keeps its id).
    ///
    /// - Parameter id: the key's `apikey_…` id.
    public func deleteAPIKey(id: String) {
        state.deletedAPIKeyIDs.insert(id)
    }

    /// Deletes an API key by its position in the unmodified listing.
    ///
    /// - Parameter index: 0-based position among the configured keys.
    public func deleteAPIKey(at index: Int) {
        guard dataset.apiKeyIDs.indices.contains(index) else { return }
        state.deletedAPIKeyIDs.insert(dataset.apiKeyIDs[index])
    }

    /// Deletes an invite: it disappears from the next `invites` listing.
    ///
    /// - Parameter id: the invite's `invite_…` id.
    public func deleteInvite(id: String) {
        state.deletedInviteIDs.insert(id)
    }

    /// Removes a user from a workspace: the membership disappears from the next members listing.
    ///
    /// - Parameters:
    ///   - workspaceID: the `wrkspc_…` id.
    ///   - userID: the `user_…` id.
    public func removeWorkspaceMember(workspaceID: String, userID: String) {
        state.removedMembers.insert(SandboxState.memberKey(workspaceID: workspaceID, userID: userID))
    }

    /// Everything the sandbox currently serves for `table`, as raw API JSON, for tests to compare against.
    ///
    /// List endpoints and Claude Code: the `data[]` items (every day of history for Claude Code; every
    /// workspace, archived included, for members), bucket `nil`. Report endpoints: each result of every
    /// daily bucket of history, grouped as ``TableDefinition``'s `group_by[]` says, with its bucket
    /// (`starting_at`, `ending_at`, no `results`). Organization: the `/v1/organizations/me` object.
    ///
    /// - Parameters:
    ///   - table: the table.
    ///   - usageGroupBy: for `usage_report`, the extra dimensions grouped by (the client's
    ///     ``AdminClientConfiguration/usageGroupBy``). Default: none.
    /// - Returns: the items in the order the API serves them.
    public func servedItems(
        _ table: AdminTable, usageGroupBy: [UsageDimension] = []
    ) -> [(item: JSONObject, bucket: JSONObject?)] {
        let responder = SandboxResponder(dataset: dataset, state: state)
        switch table {
        case .organization:
            return [(dataset.organization, nil)]
        case .workspaces:
            return responder.currentItems(.workspaces(includeArchived: true, includeDefault: true)).map { ($0, nil) }
        case .apiKeys:
            return responder.currentItems(.apiKeys(status: nil, workspaceID: nil, createdByUserID: nil)).map { ($0, nil) }
        case .invites:
            return responder.currentItems(.invites).map { ($0, nil) }
        case .users:
            return responder.currentItems(.users(email: nil)).map { ($0, nil) }
        case .workspaceMembers:
            return dataset.workspaceIDs.flatMap { responder.currentItems(.members(workspaceID: $0)) }.map { ($0, nil) }
        case .claudeCodeUsage:
            let generator = ClaudeCodeGenerator(dataset: dataset)
            var items: [(item: JSONObject, bucket: JSONObject?)] = []
            for day in configuration.historyDays {
                let revision = state.revision(of: day)
                for index in 0..<generator.recordCount(on: day) {
                    items.append((generator.record(day: day, index: index, revision: revision).jsonObject, nil))
                }
            }
            return items
        case .rateLimits:
            return dataset.rateLimits.map { ($0, nil) }
        case .workspaceRateLimits:
            return dataset.workspaceIDs.flatMap { dataset.workspaceRateLimits[$0] ?? [] }.map { ($0, nil) }
        case .usageReport, .costReport:
            let kind: SandboxRoute.ReportKind = table == .usageReport ? .usage : .cost
            let definition = table == .usageReport ? TableDefinition.usageReport(groupBy: usageGroupBy) : table.definition
            let groupBy = Set(definition.fixedQuery.filter { $0.name == "group_by[]" }.map(\.value))
            var items: [(item: JSONObject, bucket: JSONObject?)] = []
            for day in configuration.historyDays {
                let bucket = SandboxResponder.bucket(day)
                for result in responder.results(kind, day: day, groupBy: groupBy) { items.append((result, bucket)) }
            }
            return items
        }
    }

    /// The id of the organization's default workspace (listed only with `include_default=true`).
    public nonisolated var defaultWorkspaceID: String { dataset.defaultWorkspaceID }

    /// Number of requests received so far (authorized or not).
    public var requestCount: Int { log.count }

    /// Every request received so far, oldest first.
    public func requests() -> [SandboxRequest] {
        log
    }

    // MARK: Serving

    /// What `admit` decided for one request.
    private struct Ticket: Sendable {
        let requestID: String
        let delay: Duration?
        let outcome: Result<SandboxRoute, SandboxAPIError>
        let isMalformed: Bool
        var isColliding = false
        let state: SandboxState
    }

    /// Answers one request: decisions (auth, faults, validation, recording) on the actor, body generation
    /// off it.
    nonisolated func respond(to request: SandboxHTTPRequest) async -> SandboxHTTPResponse {
        let ticket = await admit(request)
        if let delay = ticket.delay {
            try? await Task.sleep(for: delay)
        }
        var headers: [(name: String, value: String)] = [
            ("content-type", "application/json"),
            ("request-id", ticket.requestID),
            ("anthropic-organization-id", configuration.organizationID),
        ]
        switch ticket.outcome {
        case .success(let route):
            let responder = SandboxResponder(dataset: dataset, state: ticket.state)
            let body =
                ticket.isMalformed
                ? JSONWriter.encode(.object(SandboxMalformer.malform(responder.body(for: route), route: route)))
                : ticket.isColliding
                    ? JSONWriter.encode(.object(SandboxCollider.collide(responder.body(for: route), route: route)))
                    : responder.encodedBody(for: route)
            return SandboxHTTPResponse(status: 200, headers: headers, body: body)
        case .failure(let error):
            headers.append(contentsOf: error.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
            let body: JSONValue = .object(JSONObject(distinct: [
                "type": "error",
                "error": .object(JSONObject(distinct: ["type": .string(error.type), "message": .string(error.message)])),
                "request_id": .string(ticket.requestID),
            ]))
            return SandboxHTTPResponse(status: error.status, headers: headers, body: JSONWriter.encode(body))
        }
    }

    private func admit(_ request: SandboxHTTPRequest) -> Ticket {
        var random = SandboxRandom(configuration.seed, SandboxStream.requestID.rawValue, UInt64(log.count))
        let requestID = "req_01" + random.base58(count: 22)
        let isAuthorized = request.header("x-api-key") == configuration.adminKey
        var outcome: Result<SandboxRoute, SandboxAPIError>
        var delay: Duration?
        var isMalformed = false
        var isColliding = false
        if !isAuthorized {
            outcome = .failure(.authentication)
        } else if let version = request.header("anthropic-version"), version != "2023-06-01" {
            outcome = .failure(.invalidRequest("anthropic-version: unsupported version \(version)"))
        } else if request.header("anthropic-version") == nil {
            outcome = .failure(.invalidRequest("anthropic-version: header is required"))
        } else {
            do throws(SandboxAPIError) {
                outcome = .success(try router.route(request))
            } catch {
                outcome = .failure(error)
            }
            if let index = faults.firstIndex(where: { applies($0, to: request, outcome: outcome) }) {
                switch faults[index] {
                case .rateLimited(_, let seconds): outcome = .failure(.rateLimited(retryAfterSeconds: seconds))
                case .serverErrors(_, let status): outcome = .failure(.server(status: status))
                case .slow(_, let duration): delay = duration
                case .malformedPage: isMalformed = true
                case .collidingRows: isColliding = true
                case .unavailable(_, _, let status): outcome = .failure(.unavailable(status: status))
                }
                let remaining = faults[index].decremented
                if remaining.count > 0 { faults[index] = remaining } else { faults.remove(at: index) }
            }
        }
        let status: Int
        switch outcome {
        case .success: status = 200
        case .failure(let error): status = error.status
        }
        var recorded: [String: String] = [:]
        for name in ["anthropic-version", "user-agent", "accept", "content-type", "anthropic-beta"] {
            if let value = request.header(name) { recorded[name] = value }
        }
        log.append(SandboxRequest(
            method: request.method, path: request.path, queryItems: request.queryItems, headers: recorded,
            isAuthorized: isAuthorized, status: status, requestID: requestID))
        return Ticket(
            requestID: requestID, delay: delay, outcome: outcome, isMalformed: isMalformed, isColliding: isColliding,
            state: state)
    }

    private func applies(
        _ fault: SandboxFault, to request: SandboxHTTPRequest, outcome: Result<SandboxRoute, SandboxAPIError>
    ) -> Bool {
        switch fault {
        case .malformedPage(_, let prefix), .collidingRows(_, let prefix):
            guard case .success = outcome else { return false }
            return request.path.hasPrefix(prefix)
        case .unavailable(_, let prefix, _):
            return request.path.hasPrefix(prefix)
        case .rateLimited, .serverErrors, .slow:
            return true
        }
    }
}
