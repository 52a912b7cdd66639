/// A topic to create.
public struct TopicSpecification: Sendable, Hashable {
    /// The topic name.
    public var name: String
    /// Partition count. Default: -1 (the broker's `num.partitions`).
    public var partitions: Int = -1
    /// Replication factor. Default: -1 (the broker's `default.replication.factor`).
    public var replicationFactor: Int = -1
    /// Topic configs, e.g. `["cleanup.policy": "compact"]`. Default: none.
    public var configs: [String: String] = [:]

    /// Creates a specification.
    /// - Parameters:
    ///   - name: The topic name.
    ///   - partitions: Partition count, -1 for the broker default.
    ///   - replicationFactor: Replication factor, -1 for the broker default.
    ///   - configs: Topic configs.
    public init(name: String, partitions: Int = -1, replicationFactor: Int = -1, configs: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}
