/// Which librdkafka property names hold secrets (passwords, tokens, JAAS configs, SASL extensions, private key
/// material): on the command line they show in `ps`, so the resolver warns and names a safer source.
enum KafkaPropertySecrets {
    static let fragments = ["password", "secret", "passphrase", "token", "jaas", "extensions", "credentials"]

    /// Whether `name` (case-insensitive) names a secret.
    static func isSecret(_ name: String) -> Bool {
        let name = name.lowercased()
        if fragments.contains(where: { name.contains($0) }) { return true }
        return name == "ssl.key.pem" || name == "ssl_key" || name.hasPrefix("ssl.keystore") || name.hasSuffix(".key")
    }

    /// The environment variable that carries `name`: `sasl.password` → `KAFKA_PROPERTY_SASL_PASSWORD`.
    static func environmentName(for name: String) -> String {
        "KAFKA_PROPERTY_" + name.replacing("_", with: "__").replacing(".", with: "_").uppercased()
    }

    /// The property a `KAFKA_PROPERTY_…` suffix names: `SASL_PASSWORD` → `sasl.password`, `A__B` → `a_b`.
    static func propertyName(fromEnvironmentSuffix suffix: String) -> String {
        suffix.lowercased().replacing("__", with: "\u{0}").replacing("_", with: ".")
            .replacing("\u{0}", with: "_")
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
