import AdminClient
import Foundation
import Logging
import Streamer

extension CheckCommand {
    /// Prints, for each selected table, whether the organization can read it (a platform or plan may lack some;
    /// `run` and `backfill` switch those off): `table <name>: readable | not available … | could not be checked …`.
    ///
    /// - Parameters:
    ///   - client: the organization's client.
    ///   - tables: the tables to probe.
    ///   - prefix: put before each line (the organization's name with `--organizations`).
    static func printTableAvailability(client: AdminClient, tables: [AdminTable], prefix: String = "") async {
        let yesterday = CalendarDay(containing: Date()).adding(days: -1)
        for table in tables {
            print("\(prefix)table \(table.name): \(await client.availability(of: table, on: yesterday))")
        }
    }

    /// With `--organizations`: checks each organization's key and prints which of its tables it can read.
    ///
    /// - Throws: ``StreamerError`` naming the first organization whose key is missing or refused.
    static func checkOrganizations(
        _ organizations: [OrganizationSpec], shared: StreamerConfiguration, logger: Logger
    ) async throws(StreamerError) {
        for spec in organizations {
            let configuration = spec.configuration(from: shared)
            let key = try spec.loadKey(environment: ProcessInfo.processInfo.environment)
            let client: AdminClient
            let organization: AdminRow
            do throws(AdminClientError) {
                client = try AdminClient(configuration: configuration.admin, apiKey: key, logger: logger)
                organization = try await client.organization()
            } catch {
                throw StreamerError(
                    code: error.code == .unauthorized || error.code == .forbidden ? .authentication : .adminAPI,
                    reason: "organization '\(spec.name)': \(error)")
            }
            print("organization \(spec.name): key ok (id \(organization["id"]?.stringValue ?? "?"))")
            await printTableAvailability(client: client, tables: configuration.tables, prefix: "  \(spec.name) ")
        }
    }
}
