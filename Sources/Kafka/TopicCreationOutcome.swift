/// What `KafkaTopicAdmin.ensureTopics` did for one topic.
public enum TopicCreationOutcome: Sendable, Hashable {
    /// The topic was created.
    case created
    /// The topic already existed (left as it is).
    case alreadyExists
    /// The cluster does not support creating topics (e.g. librdkafka's mock cluster); rely on
    /// `auto.create.topics.enable`. The text says why.
    case unsupported(String)
    /// Creating the topic failed; the text says why (no secrets).
    case failed(String)
}
