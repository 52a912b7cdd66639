/// Metadata keys of this module's log lines (dotted, lowercase).
enum LoggingKeys {
    static let clientID = "kafka.client.id"
    static let topic = "kafka.topic"
    static let topics = "kafka.topics"
    static let partition = "kafka.partition"
    static let transactionalID = "kafka.transactional.id"
    static let bootstrapServers = "kafka.bootstrap.servers"
    static let facility = "kafka.rdkafka.facility"
    static let syslogLevel = "kafka.rdkafka.level"
    static let records = "kafka.records"
    static let key = "kafka.checkpoint.key"
    static let error = "kafka.error"
}
