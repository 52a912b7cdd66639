// Scale-out simulation (benchmark, not CI): how evenly Kafka's consumer-group protocol spreads the work units
// (organization × table) of many organizations over instances, how long the group takes to settle and to
// rebalance when an instance leaves or joins, and whether the API call rate per key stays inside its budget.
//
//   swift run -c release scale-out-simulation [organizations=1000] [instances=4] [strategy=cooperative-sticky]
import AdminClient
import Foundation
import Kafka
import Logging
import Streamer

let arguments = CommandLine.arguments.dropFirst()
let organizationCount = arguments.first.flatMap(Int.init) ?? 1000
let instanceCount = arguments.dropFirst().first.flatMap(Int.init) ?? 4
let strategy = arguments.dropFirst(2).first ?? "cooperative-sticky"

var logger = Logger(label: "simulation")
logger.logLevel = .error
let organizations = (0..<organizationCount).map { index in
    OrganizationSpec(name: String(format: "org%04d", index), key: .environment("KEY_\(index)"))
}
var shared = StreamerConfiguration()
let units = WorkUnit.all(organizations, shared: shared)
let cluster = try KafkaMockCluster(brokers: 3)
let topic = "anthropic.work-units"
try cluster.createTopic(topic, partitions: units.count)
var configuration = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
configuration.properties = [
    "session.timeout.ms": "6000", "heartbeat.interval.ms": "500", "partition.assignment.strategy": strategy,
]
print("\(organizationCount) organizations × 9 tables = \(units.count) units; \(instanceCount) instances; \(strategy)")

func settle(_ members: [KafkaGroupMembership], expected: Int, timeout: Duration = .seconds(300)) async -> (Duration, [Int])? {
    let start = ContinuousClock.now
    while ContinuousClock.now - start < timeout {
        let owned = members.map(\.assignment)
        if owned.map(\.count).reduce(0, +) == expected, Set(owned.flatMap { $0 }).count == expected,
            owned.allSatisfy({ !$0.isEmpty }) || expected < members.count
        {
            return (ContinuousClock.now - start, owned.map(\.count))
        }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return nil
}

func report(_ what: String, _ result: (Duration, [Int])?) {
    guard let (time, counts) = result else {
        print("\(what): did not settle")
        return
    }
    let mean = Double(counts.reduce(0, +)) / Double(counts.count)
    let spread = Double(counts.max()! - counts.min()!) / mean * 100
    print(String(format: "%@: %.1f s; units per instance %@ (spread %.1f%% of the mean)",
        what, Double(time.components.seconds) + Double(time.components.attoseconds) / 1e18,
        counts.map(String.init).joined(separator: "/"), spread))
}

var members = try (0..<instanceCount).map { _ in
    try KafkaGroupMembership(configuration: configuration, groupID: "streamers", topic: topic, logger: logger)
}
report("first assignment", await settle(members, expected: units.count))
let leaving = members.removeLast()
await leaving.close()
report("an instance leaves", await settle(members, expected: units.count))
members.append(try KafkaGroupMembership(configuration: configuration, groupID: "streamers", topic: topic, logger: logger))
report("an instance joins", await settle(members, expected: units.count))

// The API call rate per key: every unit's streamer gets an equal share of its organization's budget, so the
// units of one key, wherever they run, add up to the key's budget. Measured with real rate limiters for one key.
shared.requestsPerSecond = 5
shared.requestBurst = 9
let organizationUnits = units.filter { $0.organization == organizations[0].name }
let limiters = organizationUnits.map { unit in
    let (rate, burst) = ScaleOutCoordinator.budget(of: unit, among: units, shared: shared)
    return RequestRateLimiter(requestsPerSecond: rate, burst: burst)
}
let window: Duration = .seconds(10)
let started = ContinuousClock.now
let calls = await withTaskGroup(of: Int.self) { group in
    for limiter in limiters {
        group.addTask {
            var count = 0
            while ContinuousClock.now - started < window {
                try? await limiter.acquire()
                if ContinuousClock.now - started <= window { count += 1 }
            }
            return count
        }
    }
    var total = 0
    for await count in group { total += count }
    return total
}
let allowed = shared.requestsPerSecond * 10 + Double(shared.requestBurst)
print(String(format: "one key, %d units hammering for 10 s: %d calls (budget %.0f/s × 10 s + burst %d = %.0f): %@",
    limiters.count, calls, shared.requestsPerSecond, shared.requestBurst, allowed, Double(calls) <= allowed ? "inside the budget" : "OVER BUDGET"))
for member in members { await member.close() }
