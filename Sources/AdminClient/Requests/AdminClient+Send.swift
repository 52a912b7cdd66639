import JSONSpans
import Logging

#if canImport(FoundationEssentials)
import struct FoundationEssentials.Date
#else
import struct Foundation.Date
#endif

/// A successful response, scanned.
struct APIResponse: Sendable {
    /// The scanned body.
    let body: JSONSpanMap
    /// The endpoint path (no query).
    let endpoint: String
    /// The HTTP status.
    let status: Int
    /// The `request-id` header.
    let requestID: String?
}

extension AdminClient {
    /// Sends one GET with retries and returns the parsed 2xx body.
    ///
    /// - Parameters:
    ///   - target: path and query.
    ///   - table: the table being read (metrics dimension, log metadata).
    /// - Throws: ``AdminClientError`` for HTTP errors, exhausted retries, unparseable bodies, cancellation.
    func send(_ target: RequestTarget, table: AdminTable) async throws(AdminClientError) -> APIResponse {
        let endpoint = target.path
        let url = target.url(baseURL: baseURL)
        let retry = configuration.retry
        let started = await environment.uptime()
        var attempt = 0
        while true {
            attempt += 1
            if Task.isCancelled { throw Self.cancelled(endpoint) }
            if let rateLimiter {
                do { try await rateLimiter.acquire() } catch { throw Self.cancelled(endpoint) }
            }
            let remaining = retry.deadline - (await environment.uptime() - started)
            guard remaining > .zero else {
                throw AdminClientError(
                    code: .deadlineExceeded,
                    reason: "the request's deadline of \(Self.format(retry.deadline)) passed before attempt \(attempt)",
                    endpoint: endpoint)
            }
            let request = HTTPRequest(
                url: url, headers: makeHeaders(betas: definition(for: table).betaHeaders),
                timeout: min(configuration.timeouts.request, remaining))

            let attemptStart = ContinuousClock.now
            let outcome: Outcome
            var wasCancelled = false
            do {
                outcome = .response(try await transport.get(request))
            } catch {
                wasCancelled = error is CancellationError || Task.isCancelled
                outcome = .transportFailure(describeTransportError(error))
            }
            await rateLimiter?.finished(Self.budgetSignal(outcome, now: environment.wallClock()))
            if wasCancelled { throw Self.cancelled(endpoint) }
            let status: String
            if case .response(let response) = outcome { status = String(response.status) } else {
                status = MetricLabels.transportErrorStatus
            }
            metrics.recordRequest(
                table: table, path: endpoint, status: status, duration: ContinuousClock.now - attemptStart)

            let delay: Duration
            let reason: String
            switch outcome {
            case .response(let response) where (200..<300).contains(response.status):
                return try Self.parse(response, endpoint: endpoint)
            case .response(let response):
                guard let retryReason = Self.retryReason(for: response) else {
                    throw error(for: response, endpoint: endpoint, attempts: attempt, why: nil)
                }
                reason = retryReason
                if let asked = RetryAfter.delay(
                    in: response.headers, now: environment.wallClock(), maximum: retry.maxRetryAfter)
                {
                    delay = asked
                } else {
                    delay = backoff(afterAttempt: attempt)
                }
            case .transportFailure:
                reason = MetricLabels.transportErrorStatus
                delay = backoff(afterAttempt: attempt)
            }

            if attempt >= retry.maxAttempts {
                throw giveUp(
                    outcome, endpoint: endpoint, attempts: attempt,
                    why: "gave up after \(attempt) attempt\(attempt == 1 ? "" : "s") (the retry limit)")
            }
            let elapsed = await environment.uptime() - started
            if elapsed + delay > retry.deadline {
                throw giveUp(
                    outcome, endpoint: endpoint, attempts: attempt,
                    why: "gave up after \(attempt) attempt\(attempt == 1 ? "" : "s"): the next wait of "
                        + "\(Self.format(delay)) would pass the request's deadline of \(Self.format(retry.deadline))")
            }

            var metadata: Logger.Metadata = [
                LoggingKeys.table: "\(table.name)",
                LoggingKeys.endpoint: "\(endpoint)",
                LoggingKeys.attempt: "\(attempt)",
                LoggingKeys.retryDelayMilliseconds: "\(delay.milliseconds)",
                LoggingKeys.retryReason: "\(reason)",
                LoggingKeys.status: "\(status)",
            ]
            if case .response(let response) = outcome, let requestID = Self.requestID(of: response) {
                metadata[LoggingKeys.requestID] = "\(requestID)"
            }
            logger.debug("Retrying Admin API request", metadata: metadata)
            metrics.recordRetry(table: table, reason: reason, wait: delay)
            do {
                try await environment.sleep(delay)
            } catch {
                throw Self.cancelled(endpoint)
            }
        }
    }

    /// The result of one attempt.
    enum Outcome {
        case response(HTTPResponse)
        case transportFailure(String)
    }

    /// The request headers, the key added through `withSecret` (the only place it is read).
    ///
    /// - Parameter betas: `anthropic-beta` values the table's requests need (sent comma-separated), if any.
    func makeHeaders(betas: [String] = []) -> [(name: String, value: String)] {
        var headers = [
            ("x-api-key", apiKey.withSecret { $0 }),
            ("anthropic-version", Self.anthropicVersion),
            ("user-agent", configuration.userAgent),
            ("accept", "application/json"),
        ]
        if !betas.isEmpty { headers.append(("anthropic-beta", betas.joined(separator: ","))) }
        return headers
    }

    /// Full-jitter exponential backoff: `random(0, min(maxBackoff, initialBackoff * 2^(attempt-1)))`.
    func backoff(afterAttempt attempt: Int) -> Duration {
        let retry = configuration.retry
        var ceiling = retry.initialBackoff
        var doublings = attempt - 1
        while doublings > 0, ceiling < retry.maxBackoff {
            ceiling *= 2
            doublings -= 1
        }
        return environment.jitter(min(ceiling, retry.maxBackoff))
    }

    /// Why `response` should be retried (a metrics/log reason), or `nil` when it should not.
    /// `x-should-retry` overrides the status-based decision.
    static func retryReason(for response: HTTPResponse) -> String? {
        let status = response.status
        let byStatus: String? =
            switch status {
            case 408: "request_timeout"
            case 409: "conflict"
            case 429: "rate_limited"
            case 529: "overloaded"
            case 500...599: "server_error"
            default: nil
            }
        switch response.headers["x-should-retry"]?.trimmingWhitespace().lowercased() {
        case "true": return byStatus ?? "server_hint"
        case "false": return nil
        default: return byStatus
        }
    }

    /// The response's request id (header, else the error body's `request_id`) when it looks like one: at most
    /// 128 characters of `A–Z a–z 0–9 _ - . :` and nothing like a key. Anything else from a hostile server is
    /// dropped rather than logged.
    static func requestID(of response: HTTPResponse) -> String? {
        if let header = response.headers["request-id"], !header.isEmpty { return plausibleRequestID(header) }
        if let json = try? JSONParser.parse(response.body), let id = json["request_id"]?.stringValue {
            return plausibleRequestID(id)
        }
        return nil
    }

    static func plausibleRequestID(_ text: String) -> String? {
        guard !text.isEmpty, text.unicodeScalars.count <= 128, !text.lowercased().contains("sk-ant-"),
            text.unicodeScalars.allSatisfy({
                switch $0 {
                case "A"..."Z", "a"..."z", "0"..."9", "_", "-", ".", ":": true
                default: false
                }
            })
        else { return nil }
        return text
    }

    /// Scans a 2xx body as strict JSON (no duplicate keys, valid UTF-8).
    static func parse(_ response: HTTPResponse, endpoint: String) throws(AdminClientError) -> APIResponse {
        let header = response.headers["request-id"].flatMap { $0.isEmpty ? nil : $0 }
        let requestID = header.flatMap(plausibleRequestID)
        do {
            let body = try JSONSpanScanner.scan(response.body)
            // Without the header, the body's `request_id` (read from the scan: the body is not parsed twice).
            var bodyRequestID: String? = nil
            if header == nil, body.kind(body.root) == .object, let id = body.member(body.root, requestIDKey),
                body.kind(id) == .string
            {
                bodyRequestID = plausibleRequestID(body.string(id))
            }
            return APIResponse(
                body: body, endpoint: endpoint, status: response.status, requestID: requestID ?? bodyRequestID)
        } catch {
            throw AdminClientError(
                code: .malformedResponse,
                reason: "the response from \(endpoint) is not valid JSON: at "
                    + "\(ErrorTextSanitizer.sanitize(error.path, maximumLength: 120)) (byte \(error.offset)) "
                    + "expected \(ErrorTextSanitizer.sanitize(error.expected, maximumLength: 120))",
                endpoint: endpoint, status: response.status, requestID: requestID)
        }
    }

    static let requestIDKey = Array("request_id".utf8)

    /// The error for a final non-2xx response.
    func error(
        for response: HTTPResponse, endpoint: String, attempts: Int, why: String?
    ) -> AdminClientError {
        let status = response.status
        let requestID = Self.requestID(of: response)
        let apiError = apiErrorText(response)
        let code: AdminClientError.Code
        var reason: String
        switch status {
        case 401:
            code = .unauthorized
            reason = "the API refused the key: this is not an Admin API key (it must start with "
                + "\(APIKey.adminPrefix)), or it was revoked"
        case 403:
            code = .forbidden
            reason = "the key may not read \(endpoint)"
        case 404:
            code = .notFound
            reason = "\(endpoint) does not exist (check the base URL)"
        case 429:
            code = .rateLimited
            reason = "the API is rate limiting this key"
        case 500...599:
            code = .server
            reason = "the API failed"
        default:
            code = .badRequest
            reason = "the API rejected the request"
        }
        if let apiError { reason += "; the API said: \(apiError)" }
        if let why { reason += "; \(why)" }
        return AdminClientError(code: code, reason: reason, endpoint: endpoint, status: status, requestID: requestID)
    }

    /// The error when retries run out (count or deadline).
    func giveUp(_ outcome: Outcome, endpoint: String, attempts: Int, why: String) -> AdminClientError {
        switch outcome {
        case .response(let response):
            return error(for: response, endpoint: endpoint, attempts: attempts, why: why)
        case .transportFailure(let description):
            return AdminClientError(
                code: .transport, reason: "no HTTP response (\(description)); \(why)", endpoint: endpoint)
        }
    }

    /// `error.type: error.message` from the documented error body, or a note that the body was not one;
    /// sanitised (``ErrorTextSanitizer``: no control characters, at most 300 characters, keys and tokens
    /// redacted, this client's key above all).
    func apiErrorText(_ response: HTTPResponse) -> String? {
        Self.rawAPIErrorText(response).map {
            ErrorTextSanitizer.sanitize($0, knownSecrets: [apiKey.withSecret { $0 }])
        }
    }

    private static func rawAPIErrorText(_ response: HTTPResponse) -> String? {
        guard !response.body.isEmpty else { return nil }
        guard let json = try? JSONParser.parse(response.body) else {
            return "(a non-JSON body of \(response.body.count) bytes)"
        }
        let type = json[path: ["error", "type"]]?.stringValue
        let message = json[path: ["error", "message"]]?.stringValue
        switch (type, message) {
        case (let type?, let message?): return "\(type): \(message)"
        case (nil, let message?): return message
        case (let type?, nil): return type
        case (nil, nil): return nil
        }
    }

    static func cancelled(_ endpoint: String) -> AdminClientError {
        AdminClientError(code: .cancelled, reason: "the request was cancelled", endpoint: endpoint)
    }

    /// A transport error as one short phrase, sanitised like an API error's text.
    func describeTransportError(_ error: any Error) -> String {
        ErrorTextSanitizer.sanitize(String(describing: error), knownSecrets: [apiKey.withSecret { $0 }])
    }

    /// `1.5 s`, `250 ms`.
    static func format(_ duration: Duration) -> String {
        let milliseconds = duration.milliseconds
        if milliseconds < 1000 { return "\(milliseconds) ms" }
        let tenths = milliseconds / 100
        return tenths % 10 == 0 ? "\(tenths / 10) s" : "\(tenths / 10).\(tenths % 10) s"
    }
}

extension AdminClient {
    /// Every custom workspace's id (archived included, the default workspace not), over all pages of
    /// `/v1/organizations/workspaces`.
    ///
    /// - Parameter table: the table this listing serves (metrics dimension).
    func allWorkspaceIDs(for table: AdminTable) async throws(AdminClientError) -> [String] {
        let definition = AdminTable.workspaces.definition
        var ids: [String] = []
        var seen: Set<String> = []
        var cursor: String? = nil
        var listingGuard = paginationGuard(for: definition, endpoint: definition.path)
        repeat {
            var target = RequestTarget(path: definition.path, query: TableDefinition.customWorkspacesQuery)
            if let limit = definition.pageLimit { target.append("limit", String(limit)) }
            if let cursor { target.append("after_id", cursor) }
            let response = try await send(target, table: table)
            let page = try ResponseDecoder.listPage(response, pagination: definition.pagination)
            try listingGuard.admit(nextCursor: page.nextCursor, requestID: response.requestID)
            for id in try ResponseDecoder.workspaceIDs(response) {
                // A listing that repeats itself under fresh cursors would otherwise grow without bound.
                guard seen.insert(id).inserted else {
                    throw AdminClientError(
                        code: .runawayPagination,
                        reason: "the workspaces listing named the same workspace twice: it is repeating itself, so "
                            + "\(table.name) stops here and nothing more of it is published",
                        endpoint: definition.path, requestID: response.requestID)
                }
                ids.append(id)
            }
            cursor = page.nextCursor
        } while cursor != nil
        return ids
    }

    /// What an attempt's outcome tells the key's request budget: 429 and 529 are throttling (with the wait the
    /// API asked for, capped like a retry's); everything else is an answer.
    static func budgetSignal(_ outcome: Outcome, now: Date) -> RequestRateLimiter.Signal {
        guard case .response(let response) = outcome, response.status == 429 || response.status == 529 else {
            return .answered
        }
        return .throttled(retryAfter: RetryAfter.delay(in: response.headers, now: now, maximum: .seconds(60)))
    }
}
