import AdminClient
import Kafka
import Testing

@testable import Streamer

@Suite struct StreamerConfigurationTests {
    @Test(
        "the configuration refuses intervals, timeouts and rates out of range",
        arguments: [
            { (c: inout StreamerConfiguration) in c.pollInterval = .seconds(31 * 86_400) },
            { (c: inout StreamerConfiguration) in c.snapshotInterval = .seconds(31 * 86_400) },
            { (c: inout StreamerConfiguration) in c.requestsPerSecond = .infinity },
            { (c: inout StreamerConfiguration) in c.requestsPerSecond = .nan },
            { (c: inout StreamerConfiguration) in c.requestsPerSecond = 1e-300 },
            { (c: inout StreamerConfiguration) in c.brokerConnectTimeout = .seconds(86_400) },
            { (c: inout StreamerConfiguration) in c.admin.timeouts.request = .seconds(86_400) },
        ] as [@Sendable (inout StreamerConfiguration) -> Void])
    func configurationRanges(change: @Sendable (inout StreamerConfiguration) -> Void) {
        var configuration = StreamerConfiguration()
        configuration.isDryRun = true
        change(&configuration)
        #expect(throws: StreamerError.self) { try configuration.validate() }
    }

    @Test("its description and dump never show a secret Kafka property")
    func secretsRedacted() {
        var configuration = StreamerConfiguration()
        configuration.kafka.properties = ["sasl.password": "Pw-7781-secret", "sasl.username": "streamer"]
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in [String(describing: configuration), String(reflecting: configuration), dumped] {
            #expect(!text.contains("Pw-7781-secret"), "\(text)")
            #expect(text.contains("streamer"))
        }
    }
}
