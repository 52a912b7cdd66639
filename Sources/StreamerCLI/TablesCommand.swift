import AdminClient
import ArgumentParser
import Streamer

/// `streamer tables`: the tables, their topics, keys, columns and cursor kinds.
struct TablesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tables",
        abstract: "List each table: topic, key, columns (with the API path each comes from) and cursor kind.")

    @Option(help: "Topic prefix (default anthropic).")
    var topicPrefix = "anthropic"

    func run() {
        for table in AdminTable.allCases {
            let definition = table.definition
            print("\(table.name)")
            print("  topic:    \(topicPrefix).\(table.name)")
            print("  endpoint: GET \(definition.path)")
            print("  key:      \(definition.keyColumns.joined(separator: ", "))")
            if table == .usageReport {
                let extra = UsageDimension.allCases.map(\.rawValue).joined(separator: ", ")
                print("            + the usageGroupBy dimensions chosen, in this order: \(extra)")
                print("            (speed sends anthropic-beta: \(UsageDimension.speedBeta))")
            }
            print("  schema:   schema_version \(definition.schemaVersion)")
            print("  cursor:   \(cursorDescription(definition.cursorKind))")
            print("  columns:")
            let width = definition.columns.map(\.name.count).max() ?? 0
            for column in definition.columns {
                let padded = column.name.padded(to: width)
                let note = column.isAlwaysNull ? "  [always null today]" : ""
                print("    \(padded)  \(column.type.rawValue.padded(to: 9)) ← \(column.source)\(note)")
            }
            print("  plus every other field the API returns, flattened with _\n")
        }
    }

    private func cursorDescription(_ kind: TableDefinition.CursorKind) -> String {
        switch kind {
        case .daily: "daily (one request series per UTC day; days inside the settle window re-polled)"
        case .dateRange: "date range (daily buckets, windows of up to 31 days; settle window re-polled)"
        case .snapshot: "snapshot (full listing every --snapshot-interval; changes and tombstones published)"
        }
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
