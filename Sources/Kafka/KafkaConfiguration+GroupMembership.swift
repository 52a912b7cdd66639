extension KafkaConfiguration {
    /// The default `partition.assignment.strategy` of a ``KafkaGroupMembership``: cooperative rebalancing
    /// (only moved partitions are revoked), which librdkafka's mock cluster also supports.
    static let defaultAssignmentStrategy = "cooperative-sticky"

    /// The properties of a group member that only divides work: the reader's connection settings and
    /// pass-through properties, no auto commit, no end-of-partition events, never creates topics, and
    /// ``defaultAssignmentStrategy`` unless ``properties`` names another.
    func groupMembershipProperties(groupID: String) -> [(name: String, value: String)] {
        let defaults: [String: String] = [
            "enable.partition.eof": "false",
            "auto.offset.reset": "latest",
            "partition.assignment.strategy": Self.defaultAssignmentStrategy,
        ]
        // The reader's list is defaults then the user's properties; replace its defaults with ours where they
        // differ, keeping every user property (applied last, so it still wins).
        let base = consumerProperties(isolation: .readCommitted, groupID: groupID)
            .filter { properties[$0.name] != nil || defaults[$0.name] == nil }
        let extra = defaults.filter { properties[$0.key] == nil }.sorted { $0.key < $1.key }
            .map { (name: $0.key, value: $0.value) }
        return extra + base
    }
}
