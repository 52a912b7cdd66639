import AdminClient
import AdminSandbox
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A bare HTTP client for the sandbox, over URLSession (no AdminClient), for tests.
struct SandboxHTTPClient: Sendable {
    /// One answer.
    struct Response: Sendable {
        let status: Int
        let headers: [String: String]
        let body: [UInt8]

        /// The body parsed as JSON.
        func json() throws -> JSONValue {
            try JSONParser.parse(body)
        }

        /// The body as an object.
        func object() throws -> JSONObject {
            try #require(try json().objectValue)
        }
    }

    let baseURL: String
    var key: String? = SandboxConfiguration().adminKey
    var version: String? = "2023-06-01"
    /// When `true`, brackets in query names are sent percent-encoded (`group_by%5B%5D`).
    var encodeBrackets = false
    /// More request headers (e.g. `anthropic-beta`).
    var extraHeaders: [String: String] = [:]
    let session: URLSession

    init(baseURL: String) {
        self.baseURL = baseURL
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 2
        self.session = URLSession(configuration: configuration)
    }

    /// GETs `path` with `query` items (sent in order).
    func get(_ path: String, _ query: [(String, String)] = []) async throws -> Response {
        var url = baseURL + path
        if !query.isEmpty {
            url += "?" + query.map { encode($0.0, isName: true) + "=" + encode($0.1, isName: false) }.joined(separator: "&")
        }
        var request = URLRequest(url: try #require(URL(string: url)))
        if let key { request.setValue(key, forHTTPHeaderField: "x-api-key") }
        for (name, value) in extraHeaders { request.setValue(value, forHTTPHeaderField: name) }
        if let version { request.setValue(version, forHTTPHeaderField: "anthropic-version") }
        request.setValue("sandbox-tests/1.0", forHTTPHeaderField: "User-Agent")
        let (data, response) = try await session.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        return Response(status: http.statusCode, headers: headers, body: Array(data))
    }

    /// The status of a GET.
    func status(_ path: String) async throws -> Int {
        try await get(path).status
    }

    private func encode(_ text: String, isName: Bool) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~:")
        if isName && !encodeBrackets { allowed.insert(charactersIn: "[]") }
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// Runs `body` against a started sandbox and stops it afterwards.
func withSandbox<T>(
    _ configuration: SandboxConfiguration = .testing,
    _ body: (SandboxAdminAPI, SandboxHTTPClient) async throws -> T
) async throws -> T {
    let sandbox = SandboxAdminAPI(configuration: configuration)
    let url = try await sandbox.start()
    do {
        let result = try await body(sandbox, SandboxHTTPClient(baseURL: url))
        try await sandbox.stop()
        return result
    } catch {
        try await sandbox.stop()
        throw error
    }
}

extension SandboxConfiguration {
    /// A fixed-date configuration so tests do not depend on the clock.
    static var testing: SandboxConfiguration {
        var configuration = SandboxConfiguration()
        configuration.today = CalendarDay("2025-09-14")!
        configuration.historyStart = CalendarDay("2025-09-01")!
        return configuration
    }
}

extension JSONValue {
    /// The compact JSON text.
    var text: String { JSONWriter.string(self) }
}
