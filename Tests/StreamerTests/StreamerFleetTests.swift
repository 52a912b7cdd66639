import AdminClient
import AdminSandbox
import Foundation
import Kafka
import Logging
import Testing

@testable import Streamer

@Suite(.serialized) struct StreamerFleetTests {
    @Test("the organizations file lists keys by reference and refuses inline keys")
    func organizationsFile() throws {
        let specs = try OrganizationsFile.parse(
            Array(#"{"organizations":[{"name":"acme","admin_key_env":"ACME_KEY","tables":["users","api_keys"]},{"name":"beta","admin_key_file":"/run/secrets/beta","topic_prefix":"b"}]}"#.utf8),
            source: "orgs.json")
        #expect(specs == [
            OrganizationSpec(name: "acme", key: .environment("ACME_KEY"), tables: [.users, .apiKeys]),
            OrganizationSpec(name: "beta", key: .file("/run/secrets/beta"), topicPrefix: "b"),
        ])
        #expect(throws: StreamerError.self) {
            try OrganizationsFile.parse(Array(#"{"organizations":[{"name":"x","api_key":"sk-ant-admin01-abc"}]}"#.utf8), source: "f")
        }
        #expect(throws: StreamerError.self) {
            try OrganizationsFile.parse(Array(#"{"organizations":[{"name":"x","admin_key_env":"A","tables":["nope"]}]}"#.utf8), source: "f")
        }
    }

    @Test("two organizations writing the same topics are refused")
    func sharedTopicsRefused() {
        var shared = StreamerConfiguration()
        shared.kafka = KafkaConfiguration(bootstrapServers: "127.0.0.1:1")
        let same = [
            OrganizationSpec(name: "a", key: .environment("A"), topicPrefix: "x"),
            OrganizationSpec(name: "b", key: .environment("B"), topicPrefix: "x"),
        ]
        #expect(throws: StreamerError.self) {
            try StreamerFleet(shared: shared, organizations: same, environment: [:], logger: Logger(label: "t"))
        }
    }

    @Test("several organizations stream side by side; one with a bad key fails alone")
    func organizationsAreIsolated() async throws {
        let cluster = try KafkaMockCluster(brokers: 3)
        let organizations = try await SandboxOrganizations.start(["acme", "beta"], tables: [.users, .organization]) { index, configuration in
            configuration.users = 3 + index * 4
            configuration.historyStart = configuration.today.adding(days: -2)
        }
        defer { Task { await organizations.stop() } }
        var environment = organizations.environment
        var specs = organizations.specs
        let transport = organizations.transport
        environment["BROKEN_KEY"] = "sk-ant-admin01-revoked-" + String(repeating: "r", count: 30)
        specs.append(OrganizationSpec(name: "broken", key: .environment("BROKEN_KEY"), tables: [.users]))

        var shared = StreamerConfiguration()
        shared.admin.baseURL = "http://sandbox.invalid"
        shared.admin.allowInsecureHTTP = true  // the transport routes it to the sandboxes on loopback
        shared.kafka = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        shared.requestsPerSecond = 1000
        shared.requestBurst = 1000
        let fleet = try StreamerFleet(
            shared: shared, organizations: specs, environment: environment, transport: transport, logger: Logger(label: "fleet"))
        let (registry, results) = await ScopedMetrics.collect { await fleet.backfill() }

        // Each organization has its own gauge series, named as in the organizations file.
        let metrics = PrometheusSamples(String(decoding: PrometheusBootstrap.exposition(registry), as: UTF8.self))
        for name in ["acme", "beta"] {
            #expect(metrics.value("streamer_poll_last_success_timestamp_seconds", ["table": "users", "organization": name]) != nil, "\(name)")
        }
        #expect(metrics.matching("streamer_poll_last_success_timestamp_seconds").allSatisfy { $0.labels["organization"] != nil })
        for name in ["acme", "beta", "broken"] {
            #expect(metrics.value("admin_request_rate", ["organization": name]) != nil, "each key's own rate: \(name)")
        }

        var reader = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        reader.clientID = "fleet-reader"
        for (index, name) in ["acme", "beta"].enumerated() {
            let outcome = try #require(try results[name]?.get())
            #expect(outcome[.users]?.eventsPublished == 3 + index * 4)
            let users = try await KafkaTopicReader.readAll(topic: "anthropic.\(name).users", configuration: reader, logger: Logger(label: "r"))
            #expect(users.count == 3 + index * 4)
            let organizationIDs = Set(users.compactMap { $0.headers.first { $0.name == "anthropic.organization_id" }?.value })
            #expect(organizationIDs == [Array("00000000-0000-4000-8000-00000000000\(index)".utf8)])
        }
        guard case .failure(let error)? = results["broken"] else {
            Issue.record("the organization with a revoked key should fail")
            return
        }
        #expect(error.code == .authentication)
        #expect(error.reason.contains("broken"))
    }

    @Test("a running fleet lets organizations into their first cycle one turn at a time, and every one gets through")
    func runAdmitsOrganizationsInTurns() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        let names = ["acme", "beta", "gamma"]
        let organizations = try await SandboxOrganizations.start(names, tables: [.users]) { index, configuration in
            configuration.users = 2 + index
            configuration.historyStart = configuration.today.adding(days: -1)
        }
        defer { Task { await organizations.stop() } }
        var environment = organizations.environment
        var specs = organizations.specs
        // First in line, and it never gets through its first cycle: its turn must end when it fails.
        environment["BROKEN_KEY"] = "sk-ant-admin01-revoked-" + String(repeating: "r", count: 30)
        specs.insert(OrganizationSpec(name: "broken", key: .environment("BROKEN_KEY"), tables: [.users]), at: 0)

        var shared = StreamerConfiguration()
        shared.admin.baseURL = "http://sandbox.invalid"
        shared.admin.allowInsecureHTTP = true
        shared.kafka = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        shared.requestsPerSecond = 1000
        shared.requestBurst = 1000
        let fleet = try StreamerFleet(
            shared: shared, organizations: specs, environment: environment, transport: organizations.transport,
            restartDelay: .seconds(600), concurrentBackfills: 1, logger: Logger(label: "fleet"))
        let running = Task { try await fleet.run() }
        var reader = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        reader.clientID = "fleet-run-reader"
        for (index, name) in names.enumerated() {
            try await eventually("\(name)'s users are published") {
                let users = try? await KafkaTopicReader.readAll(
                    topic: "anthropic.\(name).users", configuration: reader, logger: Logger(label: "r"))
                return users?.count == 2 + index
            }
        }
        running.cancel()
        _ = try? await running.value
    }
}

extension StreamerFleetTests {
    @Test("the shared layout writes every organization to one topic per table, each key led by organization_id")
    func sharedTopicLayout() async throws {
        let cluster = try KafkaMockCluster(brokers: 3)
        // Same seed: both organizations have rows with equal keys, which one topic must keep apart.
        let organizations = try await SandboxOrganizations.start(["acme", "beta"], tables: [.claudeCodeUsage]) { _, configuration in
            configuration.historyStart = configuration.today.adding(days: -3)
        }
        defer { Task { await organizations.stop() } }
        var shared = StreamerConfiguration()
        shared.admin.baseURL = "http://sandbox.invalid"
        shared.kafka = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        shared.topicLayout = .shared
        shared.admin.allowInsecureHTTP = true  // the transport routes it to the sandboxes on loopback
        shared.requestsPerSecond = 1000
        shared.requestBurst = 1000
        let fleet = try StreamerFleet(
            shared: shared, organizations: organizations.specs, environment: organizations.environment,
            transport: organizations.transport, logger: Logger(label: "fleet"))
        #expect(fleet.transactionalID == "anthropic-admin-streamer-fleet", "one producer for the whole fleet")
        let results = await fleet.backfill()
        let published = try ["acme", "beta"].map { try #require(try results[$0]?.get()[.claudeCodeUsage]).eventsPublished }
        #expect(published.allSatisfy { $0 > 0 })

        var reader = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        reader.clientID = "fleet-reader"
        let records = try await KafkaTopicReader.readAll(
            topic: "anthropic.claude_code_usage", configuration: reader, logger: Logger(label: "r"))
        #expect(records.count == published.reduce(0, +))
        let keys = records.map { String(decoding: $0.key ?? [], as: UTF8.self) }
        #expect(Set(keys).count == keys.count, "no two rows of two organizations share a key")
        for index in 0..<2 {
            let prefix = #"{"organization_id":"00000000-0000-4000-8000-00000000000\#(index)","date":"#
            #expect(keys.filter { $0.hasPrefix(prefix) }.count == published[index])
        }
    }

    @Test("an organization's own topic prefix is refused in the shared layout")
    func sharedLayoutRefusesPrefixes() {
        var shared = StreamerConfiguration()
        shared.topicLayout = .shared
        #expect(throws: StreamerError.self) {
            try StreamerFleet(
                shared: shared, organizations: [OrganizationSpec(name: "a", key: .environment("A"), topicPrefix: "x")],
                environment: [:], logger: Logger(label: "t"))
        }
    }
}

/// Sends each request to the sandbox whose admin key it carries (a 401 from the first one otherwise).
final class RoutingTransport: HTTPTransport {
    private let routes: [(key: String, baseURL: String)]
    private let base: CurlTransport

    init(sandboxes: [SandboxAdminAPI]) async throws {
        var routes: [(String, String)] = []
        for sandbox in sandboxes {
            routes.append((sandbox.configuration.adminKey, try #require(await sandbox.baseURL)))
        }
        self.routes = routes
        self.base = CurlTransport()
    }

    func get(_ request: HTTPRequest) async throws -> HTTPResponse {
        let key = request.headers.first { $0.name.lowercased() == "x-api-key" }?.value
        let target = routes.first { $0.key == key }?.baseURL ?? routes[0].baseURL
        var routed = request
        routed.url = request.url.replacingOccurrences(of: "http://sandbox.invalid", with: target)
        return try await base.get(routed)
    }
}
