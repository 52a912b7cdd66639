import AdminClient
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
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
}
