import CRdKafka

/// Maps librdkafka error codes to `KafkaError`s with clear reasons.
enum RdKafkaError {
    /// The librdkafka name of a code, e.g. `_TRANSPORT` or `TOPIC_AUTHORIZATION_FAILED`.
    static func name(_ code: rd_kafka_resp_err_t) -> String {
        guard let name = rd_kafka_err2name(code) else { return "\(code.rawValue)" }
        return String(cString: name)
    }

    /// librdkafka's human text for a code.
    static func text(_ code: rd_kafka_resp_err_t) -> String {
        guard let text = rd_kafka_err2str(code) else { return "" }
        return String(cString: text)
    }

    /// The fatal error recorded on `rk`, if any: (underlying code, scrubbed text).
    static func fatalError(_ rk: OpaquePointer, redactor: Redactor) -> (rd_kafka_resp_err_t, String)? {
        var buffer = [CChar](repeating: 0, count: 512)
        let code = rd_kafka_fatal_error(rk, &buffer, buffer.count)
        guard code != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        return (code, redactor.scrub(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)))
    }

    static func isFenced(_ code: rd_kafka_resp_err_t) -> Bool {
        code == RD_KAFKA_RESP_ERR__FENCED || code == RD_KAFKA_RESP_ERR_PRODUCER_FENCED
            || code == RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH
    }

    /// The error for a fenced transactional producer.
    static func fenced(transactionalID: String?, detail: String, code: rd_kafka_resp_err_t) -> KafkaError {
        KafkaError(
            code: .fenced,
            reason: "producer with transactional.id '\(transactionalID ?? "?")' was fenced by a newer producer "
                + "with the same transactional.id (is another instance running?): \(detail)",
            rdKafkaCode: code.rawValue)
    }

    /// Maps a code seen while producing or in a delivery report.
    /// - Parameters:
    ///   - code: The librdkafka code.
    ///   - rk: The handle (to look up a fatal error behind `_FATAL`).
    ///   - topic: The record's topic.
    ///   - size: The record's size in bytes (key + value).
    ///   - transactionalID: The producer's transactional id, if any.
    ///   - redactor: Scrubs secrets.
    static func delivery(
        _ code: rd_kafka_resp_err_t, rk: OpaquePointer, topic: String, size: Int, transactionalID: String?,
        redactor: Redactor
    ) -> KafkaError {
        if let (fatalCode, fatalText) = fatalError(rk, redactor: redactor),
            code == RD_KAFKA_RESP_ERR__FATAL || code == RD_KAFKA_RESP_ERR__PURGE_QUEUE
                || code == RD_KAFKA_RESP_ERR__PURGE_INFLIGHT || isFenced(code)
        {
            if isFenced(fatalCode) {
                return fenced(transactionalID: transactionalID, detail: fatalText, code: fatalCode)
            }
            return KafkaError(
                code: .fatal, reason: "the producer hit a fatal error and must be recreated: \(fatalText)",
                rdKafkaCode: fatalCode.rawValue)
        }
        switch code {
        case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE, RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE:
            return KafkaError(
                code: .messageTooLarge,
                reason: "a message of \(size) bytes to topic '\(topic)' is larger than allowed "
                    + "(message.max.bytes on the producer, or the topic's max.message.bytes on the broker)",
                rdKafkaCode: code.rawValue)
        case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC,
            RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
            return KafkaError(
                code: .unknownTopic,
                reason: "topic '\(topic)' does not exist and the broker does not create it "
                    + "(auto.create.topics.enable=false): create the topic first",
                rdKafkaCode: code.rawValue)
        case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
            return KafkaError(
                code: .timeout,
                reason: "a message to topic '\(topic)' was not delivered within message.timeout.ms "
                    + "(are the brokers reachable?)",
                rdKafkaCode: code.rawValue)
        case RD_KAFKA_RESP_ERR__PURGE_QUEUE, RD_KAFKA_RESP_ERR__PURGE_INFLIGHT, RD_KAFKA_RESP_ERR__DESTROY:
            return KafkaError(
                code: .closed, reason: "the producer was closed before a message to topic '\(topic)' was delivered",
                rdKafkaCode: code.rawValue)
        case RD_KAFKA_RESP_ERR__QUEUE_FULL:
            return KafkaError(
                code: .queueFull, reason: "librdkafka's queue is full (queue.buffering.max.messages)",
                rdKafkaCode: code.rawValue)
        case RD_KAFKA_RESP_ERR__STATE:
            return KafkaError(
                code: .unsupported,
                reason: "producing to topic '\(topic)' is not allowed in the producer's state "
                    + "(a transactional producer needs beginTransaction() first)",
                rdKafkaCode: code.rawValue)
        default:
            return general(code, context: "delivering a message to topic '\(topic)'", fallback: .delivery)
        }
    }

    /// Maps a code for any other operation.
    static func general(_ code: rd_kafka_resp_err_t, context: String, fallback: KafkaError.Code) -> KafkaError {
        let detail = "\(context) failed: \(text(code)) (\(name(code)))"
        let mapped: KafkaError.Code
        switch code {
        case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED, RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED,
            RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED, RD_KAFKA_RESP_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED:
            return KafkaError(
                code: .authorization,
                reason: "\(detail): the principal lacks an ACL for this topic/group/cluster/transactional id",
                rdKafkaCode: code.rawValue)
        case RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED, RD_KAFKA_RESP_ERR__AUTHENTICATION,
            RD_KAFKA_RESP_ERR__SSL:
            return KafkaError(
                code: .authentication,
                reason: "\(detail): check the SASL mechanism/username/password or TLS settings",
                rdKafkaCode: code.rawValue)
        case RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__RESOLVE:
            mapped = .brokersUnreachable
        case RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
            mapped = .timeout
        case RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE, RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION,
            RD_KAFKA_RESP_ERR_INVALID_REQUEST:
            mapped = .unsupported
        case RD_KAFKA_RESP_ERR__INVALID_ARG, RD_KAFKA_RESP_ERR__NOT_CONFIGURED, RD_KAFKA_RESP_ERR__INVALID_TYPE:
            mapped = .configuration
        case RD_KAFKA_RESP_ERR__FATAL:
            mapped = .fatal
        case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
            mapped = .unknownTopic
        case RD_KAFKA_RESP_ERR_NOT_COORDINATOR, RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE,
            RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
            RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_CONCURRENT_TRANSACTIONS:
            mapped = .retriable
        default:
            mapped = fallback
        }
        return KafkaError(code: mapped, reason: detail, rdKafkaCode: code.rawValue)
    }

    /// Maps (and destroys) an `rd_kafka_error_t` from a transactional call.
    static func transactional(
        _ error: OpaquePointer, rk: OpaquePointer, operation: String, transactionalID: String?, redactor: Redactor
    ) -> KafkaError {
        defer { rd_kafka_error_destroy(error) }
        let code = rd_kafka_error_code(error)
        let text = redactor.scrub(rd_kafka_error_string(error).map { String(cString: $0) } ?? "")
        let id = transactionalID ?? "?"
        if rd_kafka_error_is_fatal(error) != 0 || code == RD_KAFKA_RESP_ERR__FATAL {
            let (fatalCode, fatalText) = fatalError(rk, redactor: redactor) ?? (code, text)
            if isFenced(fatalCode) || isFenced(code) {
                return fenced(transactionalID: transactionalID, detail: fatalText, code: fatalCode)
            }
            return KafkaError(
                code: .fatal,
                reason: "\(operation) for transactional.id '\(id)' hit a fatal error; recreate the producer: \(fatalText)",
                rdKafkaCode: fatalCode.rawValue)
        }
        if isFenced(code) {
            return fenced(transactionalID: transactionalID, detail: text, code: code)
        }
        if rd_kafka_error_txn_requires_abort(error) != 0 {
            return KafkaError(
                code: .transactionAborted,
                reason: "\(operation) for transactional.id '\(id)' failed and the transaction must be aborted "
                    + "(then redo its work): \(text)",
                rdKafkaCode: code.rawValue)
        }
        if rd_kafka_error_is_retriable(error) != 0 {
            return KafkaError(
                code: .retriable, reason: "\(operation) for transactional.id '\(id)' failed, may be retried: \(text)",
                rdKafkaCode: code.rawValue)
        }
        let general = general(code, context: "\(operation) for transactional.id '\(id)'", fallback: .fatal)
        return KafkaError(code: general.code, reason: "\(general.reason): \(text)", rdKafkaCode: code.rawValue)
    }
}
