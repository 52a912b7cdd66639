import Metrics
import Prometheus

/// Routes swift-metrics into a Prometheus registry, with dotted labels (`streamer.events.produced.total`) turned
/// into Prometheus names (`streamer_events_produced_total`), a `# HELP` line for every family and
/// `streamer_build_info{version="…"} 1`.
public enum PrometheusBootstrap {
    /// One metric family as Prometheus shows it.
    public struct Family: Sendable, Hashable {
        /// The Prometheus name (`streamer_events_produced_total`).
        public let name: String
        /// `counter`, `gauge` or `histogram`.
        public let type: String
        /// The `# HELP` text.
        public let help: String
    }

    /// Every metric family the streamer exposes, with its help text: the list the README's metrics table, the
    /// Grafana dashboard and the alert rules are checked against.
    public static let families: [Family] = [
        Family(name: "streamer_build_info", type: "gauge", help: "Always 1; the version label says which build runs."),
        Family(name: "streamer_rows_fetched_total", type: "counter", help: "Rows the Admin API returned, per table."),
        Family(name: "streamer_events_produced_total", type: "counter", help: "Events published (new and changed rows, tombstones), per table."),
        Family(name: "streamer_poll_failures_total", type: "counter", help: "Poll cycles that failed and will be retried, per table."),
        Family(name: "streamer_poll_last_success_timestamp_seconds", type: "gauge", help: "Unix time of the last successful poll cycle, per table (and organization in a fleet)."),
        Family(name: "streamer_checkpoint_lag_seconds", type: "gauge", help: "How far each table's cursor is behind now (per organization in a fleet), in seconds (sampled every 5 s)."),
        Family(name: "streamer_transactions_committed_total", type: "counter", help: "Kafka transactions committed (exactly-once)."),
        Family(name: "streamer_transactions_aborted_total", type: "counter", help: "Kafka transactions aborted (exactly-once); each page is retried or the streamer stops."),
        Family(name: "streamer_transaction_pages", type: "histogram", help: "Pages per committed transaction (per acknowledged batch, at-least-once)."),
        Family(name: "streamer_key_collisions_total", type: "counter", help: "Request series refused because two of their rows had the same key, per table."),
        Family(name: "streamer_tables_unavailable_total", type: "counter", help: "Tables switched off for an organization whose endpoint answered 403/404, per table."),
        Family(name: "streamer_deletions_held_total", type: "counter", help: "Listings whose deletions were held as a mass deletion (more than 20 % and more than 5 rows), per table."),
        Family(name: "streamer_queue_depth", type: "gauge", help: "Messages in the producer's queue not yet acknowledged by the brokers (sampled every 5 s)."),
        Family(name: "streamer_scale_out_checkpoint_wait_seconds", type: "histogram", help: "Time a scale-out instance held newly assigned units back until the checkpoint topic's transactions open at assignment had ended, by outcome (stable, gave_up)."),
        Family(name: "admin_requests_total", type: "counter", help: "Admin API HTTP attempts, by table, endpoint template and status (a code or transport_error)."),
        Family(name: "admin_retries_total", type: "counter", help: "Admin API retries, by table and reason."),
        Family(name: "admin_request_duration_seconds", type: "histogram", help: "Duration of each Admin API attempt, per table."),
        Family(name: "admin_retry_wait_seconds", type: "histogram", help: "Backoff or retry-after waited before each Admin API retry, per table."),
        Family(name: "admin_request_rate", type: "gauge", help: "The adaptive request rate in force for a key, in requests per second."),
        Family(name: "admin_rate_limit_wait_seconds", type: "histogram", help: "Time each Admin API request waited for the key's request budget."),
    ]

    /// Bootstraps the metrics system once per process and returns the registry to expose, with
    /// `streamer_build_info{version}` set to 1.
    ///
    /// - Parameter version: the streamer's version, for `streamer_build_info`.
    /// - Returns: the registry every metric created from now on is registered in.
    public static func bootstrap(version: String) -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(makeFactory(registry: registry))
        registry.makeGauge(
            descriptor: MetricNameDescriptor(namespace: "streamer", metricName: "build", unitName: "info", helpText: families[0].help),
            labels: [("version", version)]
        ).set(to: 1.0)
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

    /// The exposition text of `registry` with a `# HELP` line before each family's `# TYPE` line.
    ///
    /// - Parameter registry: the registry to emit.
    /// - Returns: the Prometheus text format, as bytes.
    public static func exposition(_ registry: PrometheusCollectorRegistry) -> [UInt8] {
        withHelp(registry.emitToBuffer())
    }

    /// Inserts `# HELP` lines for the known families that have none.
    static func withHelp(_ text: [UInt8]) -> [UInt8] {
        let help = Dictionary(families.map { ($0.name, $0.help) }) { first, _ in first }
        var lines: [[UInt8]] = []
        var previousWasHelp = false
        for line in text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            let string = String(decoding: line, as: UTF8.self)
            if string.hasPrefix("# TYPE "), !previousWasHelp {
                let name = string.dropFirst("# TYPE ".count).prefix { $0 != " " }
                if let text = help[String(name)] { lines.append(Array("# HELP \(name) \(text)".utf8)) }
            }
            previousWasHelp = string.hasPrefix("# HELP ")
            lines.append(Array(line))
        }
        return Array(lines.joined(separator: [UInt8(ascii: "\n")]))
    }

    /// `admin.retry.wait_seconds` → `admin_retry_wait_seconds`.
    static func prometheusName(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
    }
}
