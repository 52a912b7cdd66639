import AdminClient

/// One unit of work when instances share the load: one table of one organization. Unit `i` of the sorted
/// list is partition `i` of the work-assignment topic.
public struct WorkUnit: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The organization's name in the `--organizations` file.
    public var organization: String
    /// The table.
    public var table: AdminTable

    /// A unit.
    public init(organization: String, table: AdminTable) {
        self.organization = organization
        self.table = table
    }

    public static func < (lhs: WorkUnit, rhs: WorkUnit) -> Bool {
        (lhs.organization, lhs.table) < (rhs.organization, rhs.table)
    }

    public var description: String { "\(organization)/\(table.name)" }

    /// Every unit of `organizations`, in the order every instance computes identically.
    public static func all(_ organizations: [OrganizationSpec], shared: StreamerConfiguration) -> [WorkUnit] {
        organizations.flatMap { organization in
            organization.configuration(from: shared).tables.map { WorkUnit(organization: organization.name, table: $0) }
        }.sorted()
    }
}
