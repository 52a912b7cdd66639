import AdminClient
import AdminSandbox
import Streamer

/// Several sandbox organizations, each its own Admin API on loopback with its own key, listed as
/// ``OrganizationSpec``s whose keys come from environment variables (`ACME_KEY`, …), and a transport that
/// routes each request to the sandbox of the key it carries (in production they all share api.anthropic.com).
struct SandboxOrganizations {
    let sandboxes: [SandboxAdminAPI]
    let environment: [String: String]
    let specs: [OrganizationSpec]
    let transport: RoutingTransport

    static func start(
        _ names: [String], tables: [AdminTable], configure: (Int, inout SandboxConfiguration) -> Void = { _, _ in }
    ) async throws -> SandboxOrganizations {
        var sandboxes: [SandboxAdminAPI] = []
        var environment: [String: String] = [:]
        var specs: [OrganizationSpec] = []
        for (index, name) in names.enumerated() {
            var configuration = SandboxConfiguration()
            configuration.organizationID = "00000000-0000-4000-8000-00000000000\(index)"
            configuration.adminKey = "sk-ant-admin01-\(name)-" + String(repeating: "k", count: 30)
            configure(index, &configuration)
            let sandbox = SandboxAdminAPI(configuration: configuration)
            _ = try await sandbox.start()
            sandboxes.append(sandbox)
            environment["\(name.uppercased())_KEY"] = configuration.adminKey
            specs.append(OrganizationSpec(name: name, key: .environment("\(name.uppercased())_KEY"), tables: tables))
        }
        return SandboxOrganizations(
            sandboxes: sandboxes, environment: environment, specs: specs,
            transport: try await RoutingTransport(sandboxes: sandboxes))
    }

    func stop() async {
        for sandbox in sandboxes { try? await sandbox.stop() }
    }
}
