import AdminClient
import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Streamer

/// `streamer schemas`: writes the JSON Schemas of every topic's keys and values.
struct SchemasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schemas",
        abstract: "Write the JSON Schema (draft 2020-12) of each table topic's key and value into a folder.")

    @Option(help: "The folder to write into.")
    var output = "schemas"

    func run() throws {
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        for table in AdminTable.allCases {
            for (kind, schema) in [("key", EventSchema.key(for: table)), ("value", EventSchema.value(for: table))] {
                let path = "\(output)/\(table.name).\(kind).schema.json"
                try (EventSchema.pretty(schema) + "\n").write(toFile: path, atomically: true, encoding: .utf8)
                print(path)
            }
        }
    }
}
