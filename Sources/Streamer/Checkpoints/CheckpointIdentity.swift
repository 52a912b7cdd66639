import AdminClient

/// What a checkpoint is about: the work this process would write under its key. A checkpoint record whose
/// identity differs (another organization's id, another table, another destination topic after a
/// `topic_prefix` change) describes other work and is refused.
public struct CheckpointIdentity: Sendable, Hashable, CustomStringConvertible {
    /// The organization.
    public var organizationID: String
    /// The table.
    public var table: AdminTable
    /// Where the table's events go.
    public var topic: String
    /// The event contract's version.
    public var eventSchemaVersion: Int

    /// An identity.
    /// - Parameters:
    ///   - organizationID: The organization.
    ///   - table: The table.
    ///   - topic: Where the table's events go.
    ///   - eventSchemaVersion: Default: the table's `schema_version`.
    public init(organizationID: String, table: AdminTable, topic: String, eventSchemaVersion: Int? = nil) {
        self.organizationID = organizationID
        self.table = table
        self.topic = topic
        self.eventSchemaVersion = eventSchemaVersion ?? table.definition.schemaVersion
    }

    /// The checkpoint topic's key: `<organization_id>/<table>`.
    public var key: String { TableCheckpoint.key(organizationID: organizationID, table: table) }

    public var description: String {
        "organization \(organizationID), table \(table.name), topic \(topic), event schema \(eventSchemaVersion)"
    }
}
