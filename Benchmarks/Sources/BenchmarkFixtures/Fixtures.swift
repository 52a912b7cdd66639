import AdminClient
import AdminSandbox
import Foundation

/// Pages as the sandbox serves them (the same JSON writer, the same generators), built once.
public struct Fixtures: Sendable {
    public static let organizationID = SandboxConfiguration().organizationID

    public let claudeCodePage: [UInt8]
    public let usageReportPage: [UInt8]

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

        loaded = Fixtures(claudeCodePage: claudeCodePage, usageReportPage: usageReportPage)
    }
}
