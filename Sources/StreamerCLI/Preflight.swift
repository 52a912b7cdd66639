import AdminClient
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Kafka
import Logging
import Streamer

/// What `streamer check` does: the same steps as the start of `run`/`backfill`, printed one line each, stopping
/// with the run's exit code after reporting every organization.
struct Preflight {
    let invocation: Invocation

    /// One organization as the run would stream it.
    struct Target {
        let name: String
        let keySource: String
        let configuration: StreamerConfiguration
        let loadKey: () throws(StreamerError) -> APIKey
    }

    func run() async throws {
        let shared = invocation.configuration
        print("settings: ok")
        for name in invocation.sources.keys.sorted() {
            print("  \(name) from \(invocation.sources[name] ?? "?")")
        }
        var problems: [StreamerError] = []
        var accepted: [(Target, String)] = []
        for target in try targets() {
            do throws(StreamerError) {
                let key = try target.loadKey()
                let organizationID = try await accept(key, target: target)
                accepted.append((target, organizationID))
            } catch {
                print("organization \(target.name): FAILED: \(error.reason)")
                problems.append(error)
            }
        }
        if shared.isDryRun {
            print("brokers: skipped (dry-run writes to standard output)")
        } else if let (target, organizationID) = accepted.first {
            do throws(StreamerError) {
                try await checkBrokers(target: target, organizationID: organizationID, all: accepted)
            } catch {
                print("brokers: FAILED: \(error.reason)")
                problems.append(error)
            }
        }
        if let port = invocation.settings.metricsPort {
            if Self.isPortFree(port) {
                print("metrics port \(port): free")
            } else {
                print("metrics port \(port): FAILED: in use by another process")
                problems.append(StreamerError(code: .configuration, reason: "the metrics port \(port) is already in use by another process; stop it or choose another --metrics-port"))
            }
        }
        printPlan(accepted)
        if let first = problems.first {
            throw StreamerError(
                code: first.code,
                reason: problems.count == 1 ? first.reason : "\(problems.count) problems; the first: \(first.reason)")
        }
        print("check: ok")
    }

    /// The organizations the run would stream, each with its own configuration and key source.
    func targets() throws(StreamerError) -> [Target] {
        let shared = invocation.configuration
        let environment = invocation.environment
        if let organizations = try invocation.organizations() {
            print("organizations: \(organizations.count) from \(invocation.settings.organizationsFile ?? "?")")
            return organizations.map { spec in
                Target(
                    name: spec.name, keySource: spec.key.description, configuration: spec.configuration(from: shared),
                    loadKey: { () throws(StreamerError) in try spec.loadKey(environment: environment) })
            }
        }
        let invocation = self.invocation
        return [
            Target(
                name: "default", keySource: "ANTHROPIC_ADMIN_KEY", configuration: shared,
                loadKey: { () throws(StreamerError) in try invocation.apiKey() })
        ]
    }

    /// Asks `/v1/organizations/me` with the key; returns the organization id.
    func accept(_ key: APIKey, target: Target) async throws(StreamerError) -> String {
        let baseURL = target.configuration.admin.baseURL
        let organization: AdminRow
        let client: AdminClient
        do throws(AdminClientError) {
            client = try AdminClient(configuration: target.configuration.admin, apiKey: key, logger: invocation.logger)
            organization = try await client.organization()
        } catch {
            throw AdminFailure.streamerError(error, baseURL: baseURL, scope: "organization \(target.name)")
        }
        guard let id = organization["id"]?.stringValue else {
            throw StreamerError(code: .adminAPI, reason: "organization \(target.name): /v1/organizations/me returned no organization id")
        }
        let name = organization["name"]?.stringValue ?? "?"
        print("organization \(target.name): key from \(target.keySource) accepted (\(name), id \(id))")
        // Which tables this organization can read (a platform or plan may lack some; run and backfill switch
        // those off).
        await CheckCommand.printTableAvailability(
            client: client, tables: target.configuration.tables, prefix: "  \(target.name) ")
        return id
    }

    /// Reaches the brokers with the producer the run would build, initialises transactions in exactly-once
    /// mode (under a check-only id), and reports each topic.
    func checkBrokers(target: Target, organizationID: String, all: [(Target, String)]) async throws(StreamerError) {
        let configuration = target.configuration
        var kafka = configuration.kafka
        if configuration.delivery == .exactlyOnce {
            kafka.transactionalID = "\(configuration.transactionalID(organizationID: organizationID))-check"
        }
        let names: Set<String>
        do throws(KafkaError) {
            let producer = try KafkaProducer(configuration: kafka, logger: invocation.logger)
            try await producer.waitUntilReachable(timeout: configuration.brokerConnectTimeout)
            print("brokers: ok (\(kafka.bootstrapServers))")
            if configuration.delivery == .exactlyOnce {
                try await producer.initTransactions()
                print("producer: ok (transactions initialised as \(kafka.transactionalID ?? "?"))")
            } else {
                print("producer: ok (idempotent, at-least-once)")
            }
            names = try await producer.topicNames(timeout: .seconds(10))
            await producer.close(timeout: .seconds(1))
        } catch {
            throw StreamerError(
                code: error.code == .brokersUnreachable ? .brokersUnreachable : error.code == .configuration ? .configuration : .kafka,
                reason: error.reason)
        }
        var seen: Set<String> = []
        for (target, _) in all {
            for spec in Streamer.topicSpecifications(target.configuration) where seen.insert(spec.name).inserted {
                let state = names.contains(spec.name) ? "exists" : "will be created (cleanup.policy=compact)"
                print("topic \(spec.name): \(state)")
            }
        }
    }

    func printPlan(_ accepted: [(Target, String)]) {
        let shared = invocation.configuration
        print("plan:")
        print("  delivery: \(shared.delivery.rawValue)")
        for (target, organizationID) in accepted {
            let configuration = target.configuration
            print("  organization \(target.name) (id \(organizationID)):")
            print("    tables: \(configuration.tables.map(\.name).joined(separator: ", "))")
            print("    topics: \(configuration.topicPrefix).<table>; checkpoints in \(configuration.effectiveCheckpointTopic)")
            if configuration.delivery == .exactlyOnce {
                print("    transactional id: \(configuration.transactionalID(organizationID: organizationID))")
            }
        }
        let start = shared.intervalStart.map { "\($0)" } ?? "checkpoint, else \(StreamerConfiguration.defaultIntervalStart)"
        let end = shared.intervalEnd.map { "\($0)" } ?? "today"
        print("  interval: \(start) … \(end); settle window \(shared.settleDays) days")
        if invocation.command == .check, let groupID = invocation.settings.groupID {
            print("  scale-out: group \(groupID), work topic \(shared.topicPrefix).work-units")
        }
        for property in shared.kafka.redactedProperties {
            print("  kafka \(property.name)=\(property.value)")
        }
    }

    /// Whether nothing listens on `port` (a bind on all interfaces succeeds).
    static func isPortFree(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port)).bigEndian
        address.sin_addr = in_addr(s_addr: INADDR_ANY)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0
    }
}
