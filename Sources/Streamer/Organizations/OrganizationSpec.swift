import AdminClient

/// One organization of a multi-organization deployment, as the `--organizations` file describes it.
public struct OrganizationSpec: Sendable, Hashable {
    /// Where an organization's admin key comes from. Never inline: files that list organizations get committed.
    public enum KeySource: Sendable, Hashable, CustomStringConvertible {
        /// An environment variable holding the key.
        case environment(String)
        /// A file holding the key (e.g. a mounted secret).
        case file(String)

        public var description: String {
            switch self {
            case .environment(let name): "environment variable \(name)"
            case .file(let path): "file \(path)"
            }
        }
    }

    /// A short name for logs and default topic prefixes (letters, digits, `-`, `_`).
    public var name: String
    /// Where the key comes from.
    public var key: KeySource
    /// Topic prefix for this organization. Default: `<global prefix>.<name>`.
    public var topicPrefix: String?
    /// Tables to stream for this organization. Default: the global selection.
    public var tables: [AdminTable]?

    /// An organization entry.
    public init(name: String, key: KeySource, topicPrefix: String? = nil, tables: [AdminTable]? = nil) {
        self.name = name
        self.key = key
        self.topicPrefix = topicPrefix
        self.tables = tables
    }

    /// Reads the key from its source.
    ///
    /// - Parameter environment: the process environment.
    /// - Throws: ``StreamerError`` (`.configuration` when missing, `.authentication` when not an admin key).
    public func loadKey(environment: [String: String]) throws(StreamerError) -> APIKey {
        let secret: String
        switch key {
        case .environment(let variable):
            guard let value = environment[variable], !value.isEmpty else {
                throw StreamerError(
                    code: .configuration, reason: "organization '\(name)': environment variable \(variable) is not set")
            }
            secret = value
        case .file(let path):
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw StreamerError(code: .configuration, reason: "organization '\(name)': cannot read the key file \(path)")
            }
            secret = text
        }
        do {
            return try APIKey(secret)
        } catch {
            throw StreamerError(code: .authentication, reason: "organization '\(name)': \(error.reason)")
        }
    }

    /// This organization's configuration: the shared one with its topic prefix and tables.
    public func configuration(from shared: StreamerConfiguration) -> StreamerConfiguration {
        var configuration = shared
        if shared.topicLayout == .perOrganization {
            configuration.topicPrefix = topicPrefix ?? "\(shared.topicPrefix).\(name)"
        }
        configuration.checkpointTopic = shared.effectiveCheckpointTopic
        if let tables { configuration.tables = tables }
        configuration.metricsOrganization = name
        return configuration
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
