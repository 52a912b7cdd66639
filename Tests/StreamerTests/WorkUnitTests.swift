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
        #expect(units.count == 9 + 2)
        #expect(units.first == WorkUnit(organization: "acme", table: .claudeCodeUsage))
        #expect(units.suffix(2) == [WorkUnit(organization: "beta", table: .apiKeys), WorkUnit(organization: "beta", table: .users)])
        #expect(WorkUnit.all(organizations.reversed(), shared: StreamerConfiguration()) == units)
    }

    @Test("the units of one key share its request budget, wherever they run")
    func budgetShares() {
        var shared = StreamerConfiguration()
        shared.requestsPerSecond = 9
        shared.requestBurst = 18
        let units = WorkUnit.all(organizations, shared: shared)
        let acme = units.filter { $0.organization == "acme" }.map { ScaleOutCoordinator.budget(of: $0, among: units, shared: shared) }
        #expect(acme.map(\.0).reduce(0, +) == 9)
        #expect(acme.allSatisfy { $0 == (1, 2) })
        let beta = ScaleOutCoordinator.budget(of: WorkUnit(organization: "beta", table: .users), among: units, shared: shared)
        #expect(beta == (4.5, 9))
    }
}
