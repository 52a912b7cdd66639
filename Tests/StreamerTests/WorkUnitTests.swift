import AdminClient
import Testing

@testable import Streamer

@Suite struct WorkUnitTests {
    let organizations = [
        OrganizationSpec(name: "beta", key: .environment("B"), tables: [.users, .apiKeys]),
        OrganizationSpec(name: "acme", key: .environment("A")),
    ]

    @Test("every instance numbers the units the same way: sorted by organization, then table")
    func unitOrder() {
        let units = WorkUnit.all(organizations, shared: StreamerConfiguration())
        #expect(units.count == AdminTable.allCases.count + 2)
        #expect(units.first == WorkUnit(organization: "acme", table: .claudeCodeUsage))
        #expect(units.suffix(2) == [WorkUnit(organization: "beta", table: .apiKeys), WorkUnit(organization: "beta", table: .users)])
        #expect(WorkUnit.all(organizations.reversed(), shared: StreamerConfiguration()) == units)
    }

    @Test("the units of one key share its request budget, wherever they run")
    func budgetShares() {
        let tables = AdminTable.allCases.count  // acme streams every table
        var shared = StreamerConfiguration()
        shared.requestsPerSecond = Double(tables)
        shared.requestBurst = 2 * tables
        let units = WorkUnit.all(organizations, shared: shared)
        let acme = units.filter { $0.organization == "acme" }.map { ScaleOutCoordinator.budget(of: $0, among: units, shared: shared) }
        #expect(acme.map(\.0).reduce(0, +) == Double(tables))
        #expect(acme.allSatisfy { $0 == (1, 2) })
        let beta = ScaleOutCoordinator.budget(of: WorkUnit(organization: "beta", table: .users), among: units, shared: shared)
        #expect(beta == (Double(tables) / 2, tables))
    }
}
