import AdminClient
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads the `--organizations` file: a JSON document listing organizations.
///
/// ```json
/// {"organizations": [
///   {"name": "acme", "admin_key_env": "ACME_ADMIN_KEY", "tables": ["claude_code_usage", "users"]},
///   {"name": "beta", "admin_key_file": "/run/secrets/beta-admin-key", "topic_prefix": "beta.anthropic"}
/// ]}
/// ```
/// A key written into the file itself is refused: such files get committed.
public enum OrganizationsFile {
    /// The organizations listed in the file at `path`.
    ///
    /// - Throws: ``StreamerError/Code/configuration`` naming the file and the entry.
    public static func load(path: String) throws(StreamerError) -> [OrganizationSpec] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StreamerError(code: .configuration, reason: "cannot read the organizations file '\(path)'")
        }
        return try parse(Array(data), source: path)
    }

    /// The organizations listed in `bytes`.
    ///
    /// - Throws: ``StreamerError/Code/configuration`` naming `source` and the entry.
    public static func parse(_ bytes: [UInt8], source: String) throws(StreamerError) -> [OrganizationSpec] {
        func fail(_ reason: String) -> StreamerError {
            StreamerError(code: .configuration, reason: "\(source): \(reason)")
        }
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw fail("not valid JSON at \(error.path) (expected \(error.expected))")
        }
        guard let entries = document["organizations"]?.arrayValue, !entries.isEmpty else {
            throw fail("expected {\"organizations\": [ … ]} with at least one organization")
        }
        var specs: [OrganizationSpec] = []
        for (index, entry) in entries.enumerated() {
            let place = "organizations[\(index)]"
            guard let object = entry.objectValue else { throw fail("\(place) is not an object") }
            for forbidden in ["api_key", "admin_key", "key"] where object[forbidden] != nil {
                throw fail("\(place) has an inline '\(forbidden)': keys do not belong in files that get committed; use admin_key_env or admin_key_file")
            }
            guard let name = object["name"]?.stringValue, !name.isEmpty,
                name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
            else {
                throw fail("\(place).name must be a non-empty name of letters, digits, '-' or '_'")
            }
            let key: OrganizationSpec.KeySource
            switch (object["admin_key_env"]?.stringValue, object["admin_key_file"]?.stringValue) {
            case (let variable?, nil): key = .environment(variable)
            case (nil, let path?): key = .file(path)
            default: throw fail("\(place) ('\(name)') needs exactly one of admin_key_env or admin_key_file")
            }
            var tables: [AdminTable]? = nil
            if let list = object["tables"] {
                guard let names = list.arrayValue?.compactMap(\.stringValue), !names.isEmpty else {
                    throw fail("\(place).tables must be a non-empty list of table names")
                }
                tables = try names.map { (table: String) throws(StreamerError) -> AdminTable in
                    guard let table = AdminTable(name: table) else { throw fail("\(place).tables: unknown table '\(table)'") }
                    return table
                }
            }
            if specs.contains(where: { $0.name == name }) { throw fail("organization '\(name)' is listed twice") }
            specs.append(OrganizationSpec(name: name, key: key, topicPrefix: object["topic_prefix"]?.stringValue, tables: tables))
        }
        return specs
    }
}
