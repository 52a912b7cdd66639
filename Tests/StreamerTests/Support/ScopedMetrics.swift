import Metrics
import Prometheus
import Streamer

/// Metrics for one test at a time in a process where `MetricsSystem.bootstrap` can run only once and tests run
/// concurrently: the process is bootstrapped once with a factory that hands each metric to the registry of the
/// test whose task created it (a task-local), so two end-to-end tests never add to each other's counters.
/// Metrics created outside ``ScopedMetrics/collect(_:)`` go to a registry nobody reads.
enum ScopedMetrics {
    private static let bootstrapped: Void = MetricsSystem.bootstrap(RoutingMetricsFactory())

    /// Runs `body` with every metric it (and the tasks it starts) creates registered in a fresh registry.
    static func collect<T>(
        _ body: () async throws -> T
    ) async rethrows -> (registry: PrometheusCollectorRegistry, result: T) {
        _ = bootstrapped
        let registry = PrometheusCollectorRegistry()
        let result = try await RoutingMetricsFactory.$current.withValue(PrometheusBootstrap.makeFactory(registry: registry)) {
            try await body()
        }
        return (registry, result)
    }
}

/// Delegates to the task-local factory of the test that creates the metric; metrics made outside any test's
/// scope are dropped (one registry shared by every test could not hold both the single-organization and the
/// fleet shapes of a family: swift-prometheus refuses labeled and unlabeled metrics under one name).
private struct RoutingMetricsFactory: MetricsFactory {
    @TaskLocal static var current: PrometheusMetricsFactory?

    private var target: any MetricsFactory { Self.current ?? NOOPMetricsHandler.instance }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        target.makeCounter(label: label, dimensions: dimensions)
    }
    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        target.makeFloatingPointCounter(label: label, dimensions: dimensions)
    }
    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        target.makeMeter(label: label, dimensions: dimensions)
    }
    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        target.makeRecorder(label: label, dimensions: dimensions, aggregate: aggregate)
    }
    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        target.makeTimer(label: label, dimensions: dimensions)
    }
    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyMeter(_ handler: any MeterHandler) {}
    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}
}

/// A Prometheus text exposition, parsed into samples.
struct PrometheusSamples {
    /// One sample: name, labels, value.
    struct Sample: Hashable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    let samples: [Sample]

    init(_ text: String) {
        var samples: [Sample] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            let series = line[..<space]
            var labels: [String: String] = [:]
            var name = String(series)
            if let brace = series.firstIndex(of: "{"), series.hasSuffix("}") {
                name = String(series[..<brace])
                let body = series[series.index(after: brace)..<series.index(before: series.endIndex)]
                // label="value" pairs; the streamer's label values hold no quotes or commas.
                for pair in body.split(separator: ",") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2 else { continue }
                    labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
                }
            }
            samples.append(Sample(name: name, labels: labels, value: value))
        }
        self.samples = samples
    }

    /// The samples named `name` whose labels include `labels`.
    func matching(_ name: String, _ labels: [String: String] = [:]) -> [Sample] {
        samples.filter { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }
    }

    /// The sum of the samples named `name` whose labels include `labels`; `nil` when there is none.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let found = matching(name, labels)
        return found.isEmpty ? nil : found.map(\.value).reduce(0, +)
    }
}
