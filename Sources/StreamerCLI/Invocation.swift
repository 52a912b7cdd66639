import AdminClient
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import Streamer

/// One run of `run`, `backfill` or `check`: its settings resolved, logging bootstrapped, warnings logged, and
/// every failure reported as one line (a JSON log line in JSON mode) with its documented exit code.
struct Invocation: Sendable {
    /// The command.
    let command: StreamerSubcommand
    /// The resolved settings.
    let settings: CommandSettings
    /// Where each setting came from.
    let sources: [String: String]
    /// The process environment (organization keys are read from it).
    let environment: [String: String]
    /// The root logger.
    let logger: Logger

    /// The streamer configuration.
    var configuration: StreamerConfiguration { settings.streamer }

    /// Resolves the settings of `command`, bootstraps logging, and runs `body`; any error becomes a one-line
    /// report and an exit code (64 usage, 78 configuration, … see ``FatalReport``).
    static func run(
        _ command: StreamerSubcommand, arguments: [String],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        _ body: (Invocation) async throws -> Void
    ) async throws {
        var json = SettingsResolver.prefersJSON(arguments: arguments, environment: environment)
        do {
            let resolved = try SettingsResolver(command: command).resolve(arguments: arguments, environment: environment)
            json = resolved.settings.logsJSON
            let logger = LoggingSetup.bootstrap(level: resolved.settings.logLevel, json: json)
            for warning in resolved.warnings {
                logger.warning("Setting warning", metadata: [LoggingKeys.warning: "\(warning)"])
            }
            let invocation = Invocation(
                command: command, settings: resolved.settings, sources: resolved.sources, environment: environment,
                logger: logger)
            try await body(invocation)
        } catch {
            throw FatalReport(error).emit(json: json)
        }
    }

    /// The admin key: `ANTHROPIC_ADMIN_KEY`, else the `admin-key-file`, else `api_key` of `ANTHROPIC_SOURCE_URI`.
    ///
    /// - Throws: ``StreamerError`` `.configuration` when none is set or readable, `.authentication` when it is
    ///   not an admin key.
    func apiKey() throws(StreamerError) -> APIKey {
        var secret: String? = environment["ANTHROPIC_ADMIN_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        if secret == nil, let path = settings.adminKeyFile {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw StreamerError(code: .configuration, reason: "cannot read the admin key file '\(path)'")
            }
            secret = text
        }
        if secret == nil, let uri = environment["ANTHROPIC_SOURCE_URI"] {
            guard let components = URLComponents(string: uri), components.scheme == "anthropic",
                let key = components.queryItems?.first(where: { $0.name == "api_key" })?.value
            else {
                throw StreamerError(
                    code: .configuration, reason: "ANTHROPIC_SOURCE_URI must look like anthropic://?api_key=sk-ant-admin…")
            }
            secret = key
        }
        guard let secret else {
            throw StreamerError(
                code: .configuration,
                reason: "no admin key: set ANTHROPIC_ADMIN_KEY (or ANTHROPIC_ADMIN_KEY_FILE) to an Admin API key (sk-ant-admin…)")
        }
        do {
            return try APIKey(secret)
        } catch {
            throw StreamerError(code: .authentication, reason: error.reason)
        }
    }

    /// The organizations of a multi-organization deployment, when `organizations` is set.
    func organizations() throws(StreamerError) -> [OrganizationSpec]? {
        guard let path = settings.organizationsFile else { return nil }
        return try OrganizationsFile.load(path: path)
    }
}
