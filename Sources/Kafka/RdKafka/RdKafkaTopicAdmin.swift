import CRdKafka
import Logging

/// The C side of `KafkaTopicAdmin`: metadata first, then `rd_kafka_CreateTopics` for what is missing.
enum RdKafkaTopicAdmin {
    /// Blocking: call off the cooperative pool.
    static func ensureTopics(
        _ topics: [TopicSpecification], configuration: KafkaConfiguration, timeoutMs: Int32, logger: Logger
    ) -> Result<[String: TopicCreationOutcome], KafkaError> {
        let redactor = Redactor(configuration: configuration)
        let handle: RdKafkaHandle
        let existing: [String: Int32]
        switch connect(configuration: configuration, redactor: redactor, timeoutMs: timeoutMs, logger: logger) {
        case .success(let connected): (handle, existing) = connected
        case .failure(let error): return .failure(error)
        }
        var outcomes: [String: TopicCreationOutcome] = [:]
        let missing = topics.filter { existing[$0.name] == nil }
        for topic in topics where existing[topic.name] != nil { outcomes[topic.name] = .alreadyExists }
        guard !missing.isEmpty else { return .success(outcomes) }

        var errorText = [CChar](repeating: 0, count: 512)
        var newTopics: [OpaquePointer?] = []
        defer { for topic in newTopics { rd_kafka_NewTopic_destroy(topic) } }
        var requested: [TopicSpecification] = []
        for spec in missing {
            guard let newTopic = rd_kafka_NewTopic_new(
                spec.name, Int32(clamping: spec.partitions), Int32(clamping: spec.replicationFactor), &errorText,
                errorText.count)
            else {
                outcomes[spec.name] = .failed(redactor.scrub(RdKafkaHandle.string(errorText)))
                continue
            }
            newTopics.append(newTopic)
            for (name, value) in spec.configs.sorted(by: { $0.key < $1.key }) {
                _ = rd_kafka_NewTopic_set_config(newTopic, name, value)
            }
            requested.append(spec)
        }
        guard !newTopics.isEmpty else { return .success(outcomes) }

        // CreateTopics goes to the controller. librdkafka's mock cluster names controller 0, which is none of its
        // brokers (1…N): librdkafka would wait for it until the timeout.
        let controller = rd_kafka_controllerid(handle.pointer, min(timeoutMs, 2_000))
        if let brokers = handle.brokerIDs(timeoutMs: timeoutMs), !brokers.contains(controller) {
            return .success(
                unsupported(
                    requested.map(\.name), outcomes: outcomes,
                    detail: "the cluster's metadata names no live controller (id \(controller)) to send CreateTopics to", logger: logger))
        }

        guard let options = rd_kafka_AdminOptions_new(handle.pointer, RD_KAFKA_ADMIN_OP_CREATETOPICS),
            let resultQueue = rd_kafka_queue_new(handle.pointer)
        else {
            return .failure(KafkaError(code: .fatal, reason: "could not create admin options/queue"))
        }
        defer {
            rd_kafka_AdminOptions_destroy(options)
            rd_kafka_queue_destroy(resultQueue)
        }
        _ = rd_kafka_AdminOptions_set_request_timeout(options, timeoutMs, &errorText, errorText.count)
        _ = rd_kafka_AdminOptions_set_operation_timeout(options, timeoutMs, &errorText, errorText.count)
        newTopics.withUnsafeMutableBufferPointer { buffer in
            rd_kafka_CreateTopics(handle.pointer, buffer.baseAddress, buffer.count, options, resultQueue)
        }
        guard let event = rd_kafka_queue_poll(resultQueue, timeoutMs + 1_000) else {
            return .failure(KafkaError(code: .timeout, reason: "CreateTopics did not answer within \(timeoutMs) ms"))
        }
        defer { rd_kafka_event_destroy(event) }
        let requestError = rd_kafka_event_error(event)
        if requestError != RD_KAFKA_RESP_ERR_NO_ERROR {
            let text = redactor.scrub(rd_kafka_event_error_string(event).map { String(cString: $0) } ?? "")
            if requestError == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE
                || requestError == RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION
            {
                return .success(
                    unsupported(
                        requested.map(\.name), outcomes: outcomes, detail: "CreateTopics is not supported: \(text)",
                        logger: logger))
            }
            let mapped = RdKafkaError.general(requestError, context: "CreateTopics", fallback: .fatal)
            if mapped.code == .authorization || mapped.code == .authentication || mapped.code == .brokersUnreachable
                || mapped.code == .timeout
            {
                return .failure(KafkaError(code: mapped.code, reason: "\(mapped.reason): \(text)", rdKafkaCode: requestError.rawValue))
            }
            for spec in requested { outcomes[spec.name] = .failed("\(mapped.reason): \(text)") }
            return .success(outcomes)
        }
        guard let result = rd_kafka_event_CreateTopics_result(event) else {
            return .failure(KafkaError(code: .fatal, reason: "CreateTopics returned an unexpected event"))
        }
        var count = 0
        guard let results = rd_kafka_CreateTopics_result_topics(result, &count) else { return .success(outcomes) }
        for index in 0..<count {
            guard let topicResult = results[index] else { continue }
            let name = rd_kafka_topic_result_name(topicResult).map { String(cString: $0) } ?? ""
            let code = rd_kafka_topic_result_error(topicResult)
            switch code {
            case RD_KAFKA_RESP_ERR_NO_ERROR: outcomes[name] = .created
            case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS: outcomes[name] = .alreadyExists
            default:
                let text = redactor.scrub(rd_kafka_topic_result_error_string(topicResult).map { String(cString: $0) } ?? "")
                outcomes[name] = .failed("\(RdKafkaError.name(code)): \(text)")
            }
        }
        return .success(outcomes)
    }

    /// Marks `names` unsupported and logs one warning naming the broker setting to rely on.
    private static func unsupported(
        _ names: [String], outcomes: [String: TopicCreationOutcome], detail: String, logger: Logger
    ) -> [String: TopicCreationOutcome] {
        logger.warning(
            "The cluster does not support creating topics (CreateTopics); relying on the broker setting auto.create.topics.enable=true to create them on first use, with the broker's default partitions and configs",
            metadata: [LoggingKeys.topics: .array(names.map { "\($0)" }), LoggingKeys.error: "\(detail)"])
        var outcomes = outcomes
        for name in names { outcomes[name] = .unsupported(detail) }
        return outcomes
    }
}

extension RdKafkaTopicAdmin {
    /// An admin handle and the topics that exist (partition counts), from one metadata request: where both
    /// CreateTopics and DescribeConfigs start.
    private static func connect(
        configuration: KafkaConfiguration, redactor: Redactor, timeoutMs: Int32, logger: Logger
    ) -> Result<(RdKafkaHandle, [String: Int32]), KafkaError> {
        let handle: RdKafkaHandle
        do {
            handle = try RdKafkaHandle.make(
                type: RD_KAFKA_PRODUCER, properties: configuration.adminProperties,
                context: RdKafkaContext(logger: logger, redactor: redactor))
        } catch {
            return .failure(error)
        }
        let (existing, code) = handle.metadata(timeoutMs: timeoutMs)
        guard let existing else {
            return .failure(
                RdKafkaError.general(
                    code, context: "metadata request to '\(configuration.bootstrapServers)'",
                    fallback: .brokersUnreachable))
        }
        return .success((handle, existing))
    }

    /// `rd_kafka_DescribeConfigs` for the topics among `names` that exist (blocking: call off the cooperative
    /// pool). Topics that do not exist are left out of the result.
    static func describeConfigs(
        _ names: [String], configuration: KafkaConfiguration, timeoutMs: Int32, logger: Logger
    ) -> Result<[String: [String: String]], KafkaError> {
        let redactor = Redactor(configuration: configuration)
        let handle: RdKafkaHandle
        let existing: [String: Int32]
        switch connect(configuration: configuration, redactor: redactor, timeoutMs: timeoutMs, logger: logger) {
        case .success(let connected): (handle, existing) = connected
        case .failure(let error): return .failure(error)
        }
        let present = names.filter { existing[$0] != nil }
        guard !present.isEmpty else { return .success([:]) }
        // As for CreateTopics: librdkafka's mock cluster names controller 0, none of its brokers, and does not
        // implement DescribeConfigs; librdkafka would wait for that controller until the timeout.
        let controller = rd_kafka_controllerid(handle.pointer, min(timeoutMs, 2_000))
        if let brokers = handle.brokerIDs(timeoutMs: timeoutMs), !brokers.contains(controller) {
            return .failure(
                KafkaError(
                    code: .unsupported,
                    reason: "the cluster's metadata names no live controller (id \(controller)) to send DescribeConfigs to"))
        }

        var resources: [OpaquePointer?] = []
        defer { for resource in resources { rd_kafka_ConfigResource_destroy(resource) } }
        for name in present {
            guard let resource = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, name) else {
                return .failure(KafkaError(code: .fatal, reason: "rd_kafka_ConfigResource_new failed"))
            }
            resources.append(resource)
        }
        guard let options = rd_kafka_AdminOptions_new(handle.pointer, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS),
            let resultQueue = rd_kafka_queue_new(handle.pointer)
        else {
            return .failure(KafkaError(code: .fatal, reason: "could not create admin options/queue"))
        }
        defer {
            rd_kafka_AdminOptions_destroy(options)
            rd_kafka_queue_destroy(resultQueue)
        }
        var errorText = [CChar](repeating: 0, count: 512)
        _ = rd_kafka_AdminOptions_set_request_timeout(options, timeoutMs, &errorText, errorText.count)
        resources.withUnsafeMutableBufferPointer { buffer in
            rd_kafka_DescribeConfigs(handle.pointer, buffer.baseAddress, buffer.count, options, resultQueue)
        }
        guard let event = rd_kafka_queue_poll(resultQueue, timeoutMs + 1_000) else {
            return .failure(KafkaError(code: .timeout, reason: "DescribeConfigs did not answer within \(timeoutMs) ms"))
        }
        defer { rd_kafka_event_destroy(event) }
        let requestError = rd_kafka_event_error(event)
        if requestError != RD_KAFKA_RESP_ERR_NO_ERROR {
            let text = redactor.scrub(rd_kafka_event_error_string(event).map { String(cString: $0) } ?? "")
            if requestError == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE
                || requestError == RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION
                || requestError == RD_KAFKA_RESP_ERR_INVALID_REQUEST
            {
                return .failure(
                    KafkaError(
                        code: .unsupported, reason: "the cluster does not support DescribeConfigs: \(text)",
                        rdKafkaCode: requestError.rawValue))
            }
            let mapped = RdKafkaError.general(requestError, context: "DescribeConfigs", fallback: .fatal)
            return .failure(KafkaError(code: mapped.code, reason: "\(mapped.reason): \(text)", rdKafkaCode: requestError.rawValue))
        }
        guard let result = rd_kafka_event_DescribeConfigs_result(event) else {
            return .failure(KafkaError(code: .fatal, reason: "DescribeConfigs returned an unexpected event"))
        }
        var count = 0
        var described: [String: [String: String]] = [:]
        guard let results = rd_kafka_DescribeConfigs_result_resources(result, &count) else { return .success(described) }
        for index in 0..<count {
            guard let resource = results[index] else { continue }
            let name = rd_kafka_ConfigResource_name(resource).map { String(cString: $0) } ?? ""
            let code = rd_kafka_ConfigResource_error(resource)
            if code == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE || code == RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION {
                return .failure(
                    KafkaError(
                        code: .unsupported, reason: "the cluster does not support DescribeConfigs (\(RdKafkaError.name(code)))",
                        rdKafkaCode: code.rawValue))
            }
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
                let mapped = RdKafkaError.general(code, context: "DescribeConfigs of topic '\(name)'", fallback: .fatal)
                return .failure(mapped)
            }
            var entryCount = 0
            var entries: [String: String] = [:]
            if let list = rd_kafka_ConfigResource_configs(resource, &entryCount) {
                for entryIndex in 0..<entryCount {
                    guard let entry = list[entryIndex], let entryName = rd_kafka_ConfigEntry_name(entry) else { continue }
                    entries[String(cString: entryName)] = rd_kafka_ConfigEntry_value(entry).map { String(cString: $0) } ?? ""
                }
            }
            described[name] = entries
        }
        return .success(described)
    }
}
