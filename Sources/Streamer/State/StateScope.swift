import AdminClient

/// One (organization, table) pair: the unit whose row state is loaded, kept and reset together.
public struct StateScope: Sendable, Hashable, CustomStringConvertible {
    /// The organization id.
    public var organizationID: String
    /// The table.
    public var table: AdminTable

    /// A scope.
    /// - Parameters:
    ///   - organizationID: The organization id.
    ///   - table: The table.
    public init(organizationID: String, table: AdminTable) {
        self.organizationID = organizationID
        self.table = table
    }

    /// `<organization_id>/<table>/`: how every state record key of this scope starts.
    public var keyPrefix: String { "\(organizationID)/\(table.name)/" }

    public var description: String { "\(organizationID)/\(table.name)" }
}
