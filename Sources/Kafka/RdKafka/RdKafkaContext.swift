import CRdKafka
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging

/// Removes secret values from any text that came out of librdkafka (log lines, error strings).
struct Redactor: Sendable {
    let secrets: [String]

    init(configuration: KafkaConfiguration) {
        // Longest first, so a secret that contains another is replaced whole.
        self.secrets = configuration.secretValues.sorted { $0.count > $1.count }
    }

    /// Matched on UTF-8 bytes, so a secret is found wherever its bytes are, whatever characters surround it.
    func scrub(_ text: String) -> String {
        var bytes = Array(text.utf8)
        var changed = false
        for secret in secrets where !secret.isEmpty {
            let pattern = Array(secret.utf8)
            guard bytes.contains(pattern) else { continue }
            bytes = bytes.replacing(pattern, with: Array("<redacted>".utf8))
            changed = true
        }
        return changed ? String(decoding: bytes, as: UTF8.self) : text
    }
}

/// What librdkafka's callbacks (on its own threads) need: reached through `rd_kafka_opaque(rk)`.
/// Immutable, hence `Sendable`.
final class RdKafkaContext: Sendable {
    let logger: Logger
    let redactor: Redactor
    /// For a group member: where the rebalance callback records and reports assignment changes.
    let group: RdKafkaGroupState?

    init(logger: Logger, redactor: Redactor, group: RdKafkaGroupState? = nil) {
        self.logger = logger
        self.redactor = redactor
        self.group = group
    }

    static func from(_ rk: OpaquePointer?) -> RdKafkaContext? {
        guard let rk, let opaque = rd_kafka_opaque(rk) else { return nil }
        return Unmanaged<RdKafkaContext>.fromOpaque(opaque).takeUnretainedValue()
    }

    func log(syslogLevel: Int32, facility: String, message: String) {
        let level: Logger.Level
        switch syslogLevel {
        case ...2: level = .critical
        case 3: level = .error
        case 4: level = .warning
        case 5: level = .notice
        case 6: level = .info
        default: level = .debug
        }
        // Brokers older than 0.11 (and librdkafka's mock cluster, which reports old metadata versions) cannot
        // honour allow.auto.create.topics; librdkafka warns on every metadata request. Not actionable: debug.
        if facility == "AUTOCREATE", level == .warning {
            logger.debug("\(redactor.scrub(message))", metadata: [LoggingKeys.facility: "\(facility)"])
            return
        }
        logger.log(
            level: level, "\(redactor.scrub(message))",
            metadata: [LoggingKeys.facility: "\(facility)", LoggingKeys.syslogLevel: "\(syslogLevel)"])
    }
}

/// librdkafka's `log_cb`: forwards to the handle's swift-log `Logger`, secrets scrubbed.
let rdKafkaLogCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = {
    rk, level, facility, buffer in
    guard let context = RdKafkaContext.from(rk) else { return }
    let facilityText = facility.map { String(cString: $0) } ?? ""
    let message = buffer.map { String(cString: $0) } ?? ""
    context.log(syslogLevel: level, facility: facilityText, message: message)
}
