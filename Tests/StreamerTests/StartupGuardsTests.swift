import Kafka
import Testing

@testable import Streamer

/// The checkpoint and state topics must be compacted; anything else is refused with the command that fixes it.
@Suite struct StartupGuardsTests {
    @Test("compact is accepted")
    func compact() {
        #expect(StartupGuards.problem(topic: "anthropic.state", policy: "compact") == nil)
    }

    @Test("any other cleanup.policy is refused, naming the topic and the kafka-configs fix", arguments: ["delete", "compact,delete", "delete, compact"])
    func refused(policy: String) throws {
        let problem = try #require(StartupGuards.problem(topic: "anthropic.checkpoints", policy: policy))
        #expect(problem.code == .configuration)
        #expect(problem.reason.contains("anthropic.checkpoints"))
        #expect(problem.reason.contains("kafka-configs --bootstrap-server <brokers> --alter --entity-type topics --entity-name anthropic.checkpoints --add-config cleanup.policy=compact"))
        #expect(StreamerError.kafka(problem).exitCode == 78)
    }
}
