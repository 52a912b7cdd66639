import Foundation
import Testing

@testable import Streamer

/// `docker-compose.yml` and `Dockerfile` are well-formed and name what a deployment needs. No Docker here: the
/// compose file is read with a small parser for the YAML subset it uses (block mappings and sequences, plain
/// or quoted scalars, flow sequences kept as text), which refuses tabs, odd indentation and duplicate keys.
@Suite struct DeploymentFilesTests {
    func compose() throws -> MiniYAML.Node {
        try MiniYAML.parse(try RepositoryFiles.text("docker-compose.yml"))
    }

    @Test("docker-compose.yml parses and has exactly the services kafka and streamer")
    func composeServices() throws {
        let root = try compose()
        #expect(root["services"]?.keys == ["kafka", "streamer"])
    }

    @Test("kafka is apache/kafka in KRaft mode (broker and controller, a quorum, listeners) with its port published")
    func composeKafka() throws {
        let kafka = try #require(try compose()["services"]?["kafka"])
        #expect(kafka["image"]?.scalar?.hasPrefix("apache/kafka:") == true)
        let environment = try #require(kafka["environment"])
        #expect(environment["KAFKA_PROCESS_ROLES"]?.scalar == "broker,controller")
        #expect(environment["KAFKA_NODE_ID"]?.scalar == "1")
        #expect(environment["KAFKA_CONTROLLER_QUORUM_VOTERS"]?.scalar == "1@kafka:9093")
        #expect(environment["KAFKA_CONTROLLER_LISTENER_NAMES"]?.scalar == "CONTROLLER")
        let listeners = try #require(environment["KAFKA_LISTENERS"]?.scalar)
        #expect(listeners.contains("CONTROLLER://:9093") && listeners.contains("PLAINTEXT://:19092"))
        #expect(environment["KAFKA_ADVERTISED_LISTENERS"]?.scalar?.contains("PLAINTEXT://kafka:19092") == true)
        // A single broker: the internal topics (transactions included) must not ask for 3 replicas.
        #expect(environment["KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"]?.scalar == "1")
        #expect(environment["KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"]?.scalar == "1")
        #expect(environment["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"]?.scalar == "1")
        #expect(kafka["ports"]?.items.compactMap(\.scalar) == ["9092:9092"])
        #expect(kafka["healthcheck"]?["test"] != nil)
    }

    @Test("streamer builds from the Dockerfile, takes ANTHROPIC_ADMIN_KEY from the environment, and publishes /metrics")
    func composeStreamer() throws {
        let streamer = try #require(try compose()["services"]?["streamer"])
        #expect(streamer["build"]?.scalar == ".")
        #expect(streamer["depends_on"]?["kafka"]?["condition"]?.scalar == "service_healthy")
        let environment = try #require(streamer["environment"])
        let key = try #require(environment["ANTHROPIC_ADMIN_KEY"]?.scalar)
        #expect(key.hasPrefix("${ANTHROPIC_ADMIN_KEY:?") && key.hasSuffix("}"), "required, from the environment")
        #expect(!key.contains("sk-ant-admin01-"), "no key written into the file")
        #expect(environment["KAFKA_BOOTSTRAP_SERVERS"]?.scalar == "kafka:19092")
        #expect(environment["STREAMER_LOG_FORMAT"]?.scalar == "json")
        let metricsPort = try #require(environment["STREAMER_METRICS_PORT"]?.scalar)
        // It listens on every interface inside the container, but the port is published on the host's loopback only.
        #expect(environment["STREAMER_METRICS_HOST"]?.scalar == "0.0.0.0")
        #expect(streamer["ports"]?.items.compactMap(\.scalar) == ["127.0.0.1:\(metricsPort):\(metricsPort)"])
        #expect(streamer["stop_grace_period"] != nil)
    }

    @Test("the Dockerfile builds with a Swift 6 image and runs on slim Debian with librdkafka1 and libcurl4")
    func dockerfile() throws {
        let lines = try RepositoryFiles.text("Dockerfile").split(separator: "\n").map(String.init)
        let stages = lines.filter { $0.hasPrefix("FROM ") }
        try #require(stages.count == 2, "two stages: \(stages)")
        #expect(stages[0].hasPrefix("FROM swift:6.") && stages[0].hasSuffix(" AS build"))
        #expect(stages[1].hasPrefix("FROM debian:") && stages[1].hasSuffix("-slim"))
        let runtime = lines.drop { !$0.hasPrefix("FROM debian:") }.joined(separator: "\n")
        let install = try #require(runtime.range(of: "apt-get install")).upperBound
        let packages = runtime[install...].prefix { $0 != "&" }.split(whereSeparator: \.isWhitespace).map(String.init)
        #expect(packages.contains("librdkafka1") && packages.contains("libcurl4"))
        #expect(!packages.contains { $0.hasSuffix("-dev") }, "no build packages in the runtime")
        #expect(runtime.contains("COPY --from=build "))
        // SwiftPM refuses to load a manifest whose target folders are missing, tests included.
        for folder in ["Package.swift", "Sources", "Tests", "scripts/build-release"] {
            #expect(lines.contains { $0.hasPrefix("COPY \(folder) ") }, "the build stage copies \(folder)")
        }
        #expect(runtime.contains("USER ") && !runtime.contains("USER root"), "not root")
        #expect(lines.contains { $0.hasPrefix("ENTRYPOINT [") && $0.contains("streamer") })
        #expect(lines.contains("EXPOSE 9464"))
        let build = lines.prefix { !$0.hasPrefix("FROM debian:") }.joined(separator: "\n")
        #expect(build.contains("scripts/build-release"), "the release build the way it is deployed")
        #expect(build.contains("librdkafka-dev"))
    }

    // MARK: Monitoring: deploy/prometheus-alerts.yml and deploy/grafana-dashboard.json

    /// The metric names an expression mentions (`streamer_…`, `admin_…`), histogram series mapped to their family.
    static func metricNames(in expression: String) -> Set<String> {
        var names: Set<String> = []
        var current = ""
        for character in expression + " " {
            if character.isLetter || character.isNumber || character == "_" {
                current.append(character)
                continue
            }
            if current.hasPrefix("streamer_") || current.hasPrefix("admin_") {
                var name = current
                for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
                    let family = String(name.dropLast(suffix.count))
                    if PrometheusBootstrap.families.contains(where: { $0.name == family && $0.type == "histogram" }) { name = family }
                }
                names.insert(name)
            }
            current = ""
        }
        return names
    }

    static let knownMetrics = Set(PrometheusBootstrap.families.map(\.name))

    @Test("the alert rules parse, each has an expression, a severity and a summary, and names only metrics that exist")
    func alertRules() throws {
        let root = try MiniYAML.parse(try RepositoryFiles.text("deploy/prometheus-alerts.yml"))
        let groups = try #require(root["groups"]?.items)
        let rules = groups.flatMap { $0["rules"]?.items ?? [] }
        try #require(rules.count >= 6, "the alerts the README describes")
        var mentioned: Set<String> = []
        for rule in rules {
            let name = try #require(rule["alert"]?.scalar)
            let expression = try #require(rule["expr"]?.scalar, "\(name)")
            #expect(["critical", "warning"].contains(rule["labels"]?["severity"]?.scalar ?? ""), "\(name)")
            let summary = rule["annotations"]?["summary"]?.scalar ?? ""
            #expect(!summary.isEmpty, "\(name)")
            let metrics = Self.metricNames(in: expression)
            #expect(!metrics.isEmpty, "\(name) watches a streamer metric")
            #expect(metrics.isSubset(of: Self.knownMetrics), "\(name): \(metrics.subtracting(Self.knownMetrics))")
            mentioned.formUnion(metrics)
        }
        for watched in ["streamer_checkpoint_lag_seconds", "streamer_poll_last_success_timestamp_seconds",
            "streamer_transactions_aborted_total", "admin_requests_total"]
        {
            #expect(mentioned.contains(watched), "an alert on \(watched), as the README describes")
        }
        let readme = try RepositoryFiles.text("README.md")
        for rule in rules {
            #expect(readme.contains(rule["alert"]?.scalar ?? "?"), "README names the alert \(rule["alert"]?.scalar ?? "")")
        }
    }

    @Test("the Grafana dashboard is valid JSON whose panels query only metrics that exist, every family shown")
    func grafanaDashboard() throws {
        let data = Data(try RepositoryFiles.text("deploy/grafana-dashboard.json").utf8)
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(dashboard["title"] as? String != nil && dashboard["uid"] as? String != nil)
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        var shown: Set<String> = []
        for panel in panels {
            let targets = try #require(panel["targets"] as? [[String: Any]], "\(panel["title"] ?? "")")
            for target in targets {
                let expression = try #require(target["expr"] as? String)
                let metrics = Self.metricNames(in: expression)
                #expect(metrics.isSubset(of: Self.knownMetrics), "\(expression)")
                shown.formUnion(metrics)
            }
        }
        #expect(shown == Self.knownMetrics, "not shown: \(Self.knownMetrics.subtracting(shown))")
    }

    @Test("README's metrics table lists exactly the metric families the streamer exposes")
    func readmeMetrics() throws {
        let readme = try RepositoryFiles.text("README.md")
        let section = try #require(readme.range(of: "### Metrics")).upperBound
        let rows = readme[section...].split(separator: "\n").drop { !$0.hasPrefix("| metric") }.dropFirst(2).prefix { $0.hasPrefix("|") }
        let listed = Set(rows.flatMap { row in
            row.split(separator: "|").first.map { cell in
                cell.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "`")) }
            } ?? []
        })
        #expect(listed == Self.knownMetrics, "README lists \(listed.subtracting(Self.knownMetrics)); misses \(Self.knownMetrics.subtracting(listed))")
    }

    // MARK: .github/workflows/real-kafka.yml

    @Test("the real-Kafka workflow starts compose's kafka, backfills the sandbox through it and reads back read_committed with kcat")
    func realKafkaWorkflow() throws {
        let workflow = try MiniYAML.parse(try RepositoryFiles.text(".github/workflows/real-kafka.yml"))
        #expect(workflow["on"]?.keys.contains("workflow_dispatch") == true)
        let jobs = try #require(workflow["jobs"])
        let job = try #require(jobs[jobs.keys.first ?? ""])
        #expect(job["runs-on"]?.scalar?.hasPrefix("ubuntu") == true, "a runner with Docker")
        let steps = try #require(job["steps"]?.items)
        #expect(steps.allSatisfy { $0["name"]?.scalar?.isEmpty == false })
        let scripts = steps.compactMap { $0["run"]?.scalar }
        let compose = try compose()
        let kafkaService = try #require(compose["services"]?["kafka"])
        let start = try #require(scripts.firstIndex { $0.contains("docker compose up") && $0.contains("kafka") })
        let backfill = try #require(scripts.firstIndex { $0.contains("streamer backfill") })
        let read = try #require(scripts.firstIndex { $0.contains("kcat") && $0.contains("isolation.level=read_committed") })
        #expect(start < backfill && backfill < read, "start Kafka, backfill, then read back")
        // The backfill reaches the broker on the compose network's advertised listener…
        let advertised = try #require(kafkaService["environment"]?["KAFKA_ADVERTISED_LISTENERS"]?.scalar)
        #expect(scripts[backfill].contains("streamer sandbox") && scripts[backfill].contains("--expected-dir"))
        #expect(scripts[backfill].contains("KAFKA_BOOTSTRAP_SERVERS=kafka:19092") && advertised.contains("//kafka:19092"))
        // …and kcat from the runner on the published port, reading the topics the streamer writes.
        let published = try #require(kafkaService["ports"]?.items.first?.scalar?.split(separator: ":").first)
        #expect(scripts[read].contains("kcat -b localhost:\(published)") && advertised.contains("//localhost:\(published)"))
        #expect(scripts[read].contains("\"\(StreamerConfiguration().topicPrefix).$table\""))
        #expect(scripts[read].contains("exit $status"), "a count mismatch fails the job")
    }

    @Test("the YAML reader refuses tabs, odd indentation and duplicate keys")
    func yamlReaderRefusesMalformedInput() {
        #expect(throws: MiniYAML.Error.self) { try MiniYAML.parse("a:\n\tb: 1\n") }
        #expect(throws: MiniYAML.Error.self) { try MiniYAML.parse("a:\n  b: 1\n   c: 2\n") }
        #expect(throws: MiniYAML.Error.self) { try MiniYAML.parse("a: 1\na: 2\n") }
        #expect(throws: MiniYAML.Error.self) { try MiniYAML.parse("a:\n  - x\n  b: 1\n") }
    }

    @Test("the YAML reader reads sequences of mappings and block scalars")
    func yamlReaderReadsWorkflowShapes() throws {
        let root = try MiniYAML.parse("steps:\n  - name: a\n    run: |\n      echo 1   # kept\n        indented\n  - name: b\n")
        let steps = try #require(root["steps"]?.items)
        #expect(steps.map { $0["name"]?.scalar } == ["a", "b"])
        #expect(steps[0]["run"]?.scalar == "echo 1   # kept\n  indented")
    }
}

/// The YAML subset of compose files, Prometheus rules and GitHub workflows: block mappings and sequences
/// (sequence items may be mappings: `- name: x` with its other keys below), scalars (plain, or quoted with no
/// escapes), `|`/`>` block scalars (kept as their lines), full-line and trailing comments. Flow collections
/// (`["CMD", "x"]`) are kept as scalar text.
enum MiniYAML {
    indirect enum Node: Equatable {
        case scalar(String)
        case mapping([(key: String, value: Node)])
        case sequence([Node])

        subscript(key: String) -> Node? {
            if case .mapping(let members) = self { return members.first { $0.key == key }?.value }
            return nil
        }
        var keys: [String] { if case .mapping(let members) = self { members.map(\.key) } else { [] } }
        var items: [Node] { if case .sequence(let items) = self { items } else { [] } }
        var scalar: String? { if case .scalar(let text) = self { text } else { nil } }

        static func == (lhs: Node, rhs: Node) -> Bool {
            switch (lhs, rhs) {
            case (.scalar(let a), .scalar(let b)): a == b
            case (.sequence(let a), .sequence(let b)): a == b
            case (.mapping(let a), .mapping(let b)): a.map(\.key) == b.map(\.key) && a.map(\.value) == b.map(\.value)
            default: false
            }
        }
    }

    struct Error: Swift.Error, CustomStringConvertible {
        let line: Int
        let reason: String
        var description: String { "line \(line): \(reason)" }
    }

    private struct Line {
        let number: Int
        let indent: Int
        let text: String
        /// A line of a `|`/`>` block scalar: text, not structure.
        var isText = false
    }

    static func parse(_ text: String) throws -> Node {
        var lines: [Line] = []
        var blockIndent: Int?  // inside a `|`/`>` block scalar: lines indented deeper are text, kept as written
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if raw.contains("\t") { throw Error(line: index + 1, reason: "tab") }
            let rawIndent = raw.prefix { $0 == " " }.count
            if let parent = blockIndent {
                if raw.allSatisfy({ $0 == " " }) { continue }
                if rawIndent > parent {
                    lines.append(Line(number: index + 1, indent: rawIndent, text: String(raw.dropFirst(rawIndent)), isText: true))
                    continue
                }
                blockIndent = nil
            }
            let content = stripComment(String(raw))
            let trimmed = content.drop { $0 == " " }
            if trimmed.isEmpty { continue }
            let indent = content.count - trimmed.count
            if indent % 2 != 0 { throw Error(line: index + 1, reason: "indentation of \(indent) is not a multiple of 2") }
            lines.append(Line(number: index + 1, indent: indent, text: String(trimmed)))
            if ["|", "|-", ">", ">-"].contains(where: { trimmed.hasSuffix(": \($0)") || trimmed == "- \($0)" }) {
                blockIndent = indent + (trimmed.hasPrefix("- ") ? 2 : 0)
            }
        }
        var position = 0
        let root = try block(&lines, &position, indent: 0)
        if position < lines.count { throw Error(line: lines[position].number, reason: "unexpected indentation") }
        return root
    }

    private static func block(_ lines: inout [Line], _ position: inout Int, indent: Int) throws -> Node {
        guard position < lines.count else { return .scalar("") }
        if lines[position].text.hasPrefix("- ") || lines[position].text == "-" {
            var items: [Node] = []
            while position < lines.count, lines[position].indent == indent, !lines[position].isText {
                let line = lines[position]
                guard line.text.hasPrefix("- ") else { throw Error(line: line.number, reason: "a key inside a sequence") }
                let rest = String(line.text.dropFirst(2))
                if keySeparator(rest) != nil, !rest.hasPrefix("\""), !rest.hasPrefix("'"), !rest.hasPrefix("{") {
                    // `- key: value` opens a mapping whose keys sit two columns right of the dash.
                    lines[position] = Line(number: line.number, indent: indent + 2, text: rest)
                    items.append(try block(&lines, &position, indent: indent + 2))
                } else {
                    position += 1
                    items.append(.scalar(unquote(rest)))
                }
            }
            return .sequence(items)
        }
        var members: [(key: String, value: Node)] = []
        while position < lines.count, lines[position].indent == indent, !lines[position].isText {
            let line = lines[position]
            guard let colon = keySeparator(line.text) else { throw Error(line: line.number, reason: "expected key: value") }
            let key = unquote(String(line.text[..<colon]))
            if members.contains(where: { $0.key == key }) { throw Error(line: line.number, reason: "duplicate key \(key)") }
            let rest = line.text[line.text.index(after: colon)...].drop { $0 == " " }
            position += 1
            if ["|", "|-", ">", ">-"].contains(String(rest)) {
                var text: [String] = []
                let base = position < lines.count && lines[position].isText ? lines[position].indent : 0
                while position < lines.count, lines[position].isText {
                    text.append(String(repeating: " ", count: max(0, lines[position].indent - base)) + lines[position].text)
                    position += 1
                }
                members.append((key, .scalar(text.joined(separator: "\n"))))
            } else if !rest.isEmpty {
                members.append((key, .scalar(unquote(String(rest)))))
            } else if position < lines.count, lines[position].indent > indent
                || (lines[position].indent == indent && lines[position].text.hasPrefix("- "))
            {
                members.append((key, try block(&lines, &position, indent: lines[position].indent)))
            } else {
                members.append((key, .scalar("")))
            }
        }
        if position < lines.count, lines[position].indent > indent, !lines[position].isText {
            throw Error(line: lines[position].number, reason: "unexpected indentation")
        }
        return .mapping(members)
    }

    /// The index of the `:` ending a mapping key (followed by a space or the end), outside quotes.
    private static func keySeparator(_ text: String) -> String.Index? {
        var quote: Character?
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == ":" {
                let next = text.index(after: index)
                if next == text.endIndex || text[next] == " " { return index }
            }
            index = text.index(after: index)
        }
        return nil
    }

    private static func stripComment(_ line: String) -> String {
        var quote: Character?
        var previous: Character = " "
        var result = ""
        for character in line {
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "#", previous == " " {
                break
            }
            result.append(character)
            previous = character
        }
        while result.last == " " { result.removeLast() }
        return result
    }

    private static func unquote(_ text: String) -> String {
        if text.count >= 2, let first = text.first, first == "\"" || first == "'", text.last == first {
            return String(text.dropFirst().dropLast())
        }
        return text
    }
}
