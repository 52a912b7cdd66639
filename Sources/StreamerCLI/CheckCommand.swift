import AdminClient
import ArgumentParser
import Kafka
import Logging
import Streamer

/// `streamer check`: validates everything a run needs, without producing anything.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the key, the brokers and the topics, and print the plan; exit non-zero on the first problem.")

    @OptionGroup var options: StreamerOptions

    func run() async throws {
        try await withExitCodes {
            let resolver = try ConfigurationResolver(options: options)
            let logger = try LoggingSetup.bootstrap(from: resolver)
            let configuration = try resolver.configuration()
            print("configuration: ok")
            if let organizations = try resolver.organizations() {  // which tables each organization can read
                return try await Self.checkOrganizations(organizations, shared: configuration, logger: logger)
            }
            let key = try resolver.apiKey()
            let client: AdminClient
            let organization: AdminRow
            do throws(AdminClientError) {
                client = try AdminClient(configuration: configuration.admin, apiKey: key, logger: logger)
                organization = try await client.organization()
            } catch {
                throw StreamerError(
                    code: error.code == .unauthorized || error.code == .forbidden ? .authentication : .adminAPI,
                    reason: "\(error) (base URL \(configuration.admin.baseURL))")
            }
            let organizationID = organization["id"]?.stringValue ?? "?"
            let name = organization["name"]?.stringValue ?? "?"
            print("admin key: ok (organization \(name), id \(organizationID))")
            await Self.printTableAvailability(client: client, tables: configuration.tables)

            if configuration.isDryRun {
                print("brokers: skipped (--dry-run)")
            } else {
                let names: Set<String>
                do throws(KafkaError) {
                    let producer = try KafkaProducer(configuration: configuration.kafka, logger: logger)
                    try await producer.waitUntilReachable(timeout: configuration.brokerConnectTimeout)
                    names = try await producer.topicNames(timeout: .seconds(10))
                    await producer.close(timeout: .seconds(1))
                } catch {
                    throw StreamerError(code: error.code == .brokersUnreachable ? .brokersUnreachable : .kafka, reason: error.reason)
                }
                print("brokers: ok (\(configuration.kafka.bootstrapServers))")
                for spec in Streamer.topicSpecifications(configuration) {
                    let state = names.contains(spec.name) ? "exists" : "will be created (cleanup.policy=compact)"
                    print("topic \(spec.name): \(state)")
                }
            }
            print("plan:")
            print("  delivery: \(configuration.delivery.rawValue)"
                + (configuration.delivery == .exactlyOnce ? " (transactional.id \(configuration.transactionalID(organizationID: organizationID)))" : ""))
            print("  tables: \(configuration.tables.map(\.name).joined(separator: ", "))")
            let start = configuration.intervalStart.map { "\($0)" } ?? "checkpoint, else \(StreamerConfiguration.defaultIntervalStart)"
            let end = configuration.intervalEnd.map { "\($0)" } ?? "today"
            print("  interval: \(start) … \(end); settle window \(configuration.settleDays) days")
            print("  checkpoints: \(configuration.effectiveCheckpointTopic)")
            for property in configuration.kafka.redactedProperties {
                print("  kafka \(property.name)=\(property.value)")
            }
        }
    }
}
