import AdminClient
import AdminSandbox
import Foundation

/// Pages as the sandbox serves them (the same JSON writer, the same generators), built once.
public struct Fixtures: Sendable {
    public static let organizationID = SandboxConfiguration().organizationID

    public let claudeCodePage: [UInt8]
    public let usageReportPage: [UInt8]
    public let claudeCodeItems: [JSONObject]
    public let claudeCodeRows: [AdminRow]
    public let usageReportRows: [AdminRow]

    nonisolated(unsafe) private static var loaded: Fixtures?
    public static var current: Fixtures { loaded! }

    @Sendable public static func load() async throws {
        if loaded != nil { return }
        var configuration = SandboxConfiguration()
        configuration.historyStart = configuration.today.adding(days: -30)
        configuration.users = 50
        configuration.apiKeys = 20
        configuration.workspaces = 5
        configuration.claudeCodeRowsPerDay = 1_000
        configuration.usageResultsPerBucket = 32
        let sandbox = SandboxAdminAPI(configuration: configuration)

        let claudeCode = await sandbox.servedItems(.claudeCodeUsage).prefix(1_000).map(\.item)
        let claudeCodePage = JSONWriter.encode(.object(JSONObject([
            ("data", .array(claudeCode.map { .object($0) })), ("has_more", false), ("next_page", nil),
        ])))

        var buckets: [JSONObject] = []
        var results: [JSONValue] = []
        for (item, bucket) in await sandbox.servedItems(.usageReport) {
            if let bucket, buckets.last != bucket {
                if var last = buckets.popLast() {
                    last["results"] = .array(results)
                    buckets.append(last)
                }
                results = []
                buckets.append(bucket)
            }
            results.append(.object(item))
        }
        if var last = buckets.popLast() {
            last["results"] = .array(results)
            buckets.append(last)
        }
        let usageReportPage = JSONWriter.encode(.object(JSONObject([
            ("data", .array(buckets.prefix(31).map { .object($0) })), ("has_more", false), ("next_page", nil),
        ])))

        loaded = Fixtures(
            claudeCodePage: claudeCodePage, usageReportPage: usageReportPage, claudeCodeItems: claudeCode,
            claudeCodeRows: try decode(claudeCodePage, table: .claudeCodeUsage),
            usageReportRows: try decode(usageReportPage, table: .usageReport))
    }

    /// What the client does with a response body: parse it, then map every item (or bucket result) to a row.
    public static func decode(_ page: [UInt8], table: AdminTable) throws -> [AdminRow] {
        let definition = table.definition
        guard case .object(let root) = try JSONParser.parse(page), case .array(let data)? = root["data"] else {
            throw CocoaError(.coderReadCorrupt)
        }
        var rows: [AdminRow] = []
        rows.reserveCapacity(data.count)
        for case .object(let item) in data {
            if case .array(let results)? = item["results"] {
                var bucket = item
                bucket["results"] = nil
                for case .object(let result) in results {
                    rows.append(try definition.makeRow(from: result, bucket: bucket))
                }
            } else {
                rows.append(try definition.makeRow(from: item))
            }
        }
        return rows
    }
}
