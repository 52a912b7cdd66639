extension LoggingKeys {
    static let groupID = "kafka.group.id"
    static let partitions = "kafka.partitions"
    static let rebalanceProtocol = "kafka.rebalance.protocol"
}
