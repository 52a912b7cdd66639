import Metrics
import Prometheus

/// Routes swift-metrics into a Prometheus registry, with dotted labels (`streamer.events.produced`) turned into
/// Prometheus names (`streamer_events_produced`).
public enum PrometheusBootstrap {
    /// Bootstraps the metrics system once per process and returns the registry to expose.
    public static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = { name, labels in
            (prometheusName(name), labels.map { (prometheusName($0.0), $0.1) })
        }
        MetricsSystem.bootstrap(factory)
        return registry
    }

    /// `admin.retry.wait` → `admin_retry_wait`.
    static func prometheusName(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
    }
}
