import Metrics
import Prometheus

/// Routes swift-metrics into a Prometheus registry, with dotted labels (`streamer.events.produced`) turned into
/// Prometheus names (`streamer_events_produced`).
public enum PrometheusBootstrap {
    /// Bootstraps the metrics system once per process and returns the registry to expose.
    ///
    /// - Returns: the registry every metric created from now on is registered in.
    public static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(makeFactory(registry: registry))
        return registry
    }

    /// A swift-metrics factory over `registry` with the streamer's naming (dots become underscores; timers are
    /// histograms in seconds), without bootstrapping anything (tests route metrics into their own registry).
    ///
    /// - Parameter registry: where the metrics are registered.
    /// - Returns: the factory.
    public static func makeFactory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = { name, labels in
            (prometheusName(name), labels.map { (prometheusName($0.0), $0.1) })
        }
        return factory
    }

    /// `admin.retry.wait` → `admin_retry_wait`.
    static func prometheusName(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
    }
}
