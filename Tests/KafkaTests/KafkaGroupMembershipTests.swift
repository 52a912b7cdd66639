@testable import Kafka
import Logging
import Synchronization
import Testing

@Suite struct KafkaGroupMembershipTests {
    static let partitions: Set<Int32> = Set(0..<12)

    /// A mock cluster with a 12-partition work topic, and a configuration with a short session (6 s) and
    /// heartbeat (500 ms), so a rebalance takes seconds.
    static func makeCluster(strategy: String? = nil) throws -> (KafkaMockCluster, KafkaConfiguration) {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("work", partitions: partitions.count)
        var configuration = TestSupport.configuration(cluster)
        configuration.properties["session.timeout.ms"] = "6000"
        configuration.properties["heartbeat.interval.ms"] = "500"
        if let strategy { configuration.properties["partition.assignment.strategy"] = strategy }
        return (cluster, configuration)
    }

    static func join(_ configuration: KafkaConfiguration, group: String = "streamers") throws -> Member {
        Member(try KafkaGroupMembership(configuration: configuration, groupID: group, topic: "work", logger: TestSupport.logger))
    }

    /// Waits (checking every 50 ms, up to 120 s: CI runs two suites on two shared cores; each check also expects no partition owned twice) until the
    /// members own every partition, disjointly, with the
    /// given share sizes, and each member's events have caught up with its assignment; returns whether they did.
    static func settle(_ members: [Member], shares: [Int]) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            let assignments = members.map(\.membership.assignment)
            // Never two owners, not even mid-rebalance (a partition is revoked before anyone else gets it).
            let owned = assignments.flatMap { $0 }
            #expect(Set(owned).count == owned.count, "overlap: \(assignments.map { $0.sorted() })")
            if isSettled(assignments, shares: shares) && members.allSatisfy({ $0.log.replayed == $0.membership.assignment }) {
                return true
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    static func isSettled(_ assignments: [Set<Int32>], shares: [Int]) -> Bool {
        let union = assignments.reduce(into: Set<Int32>()) { $0.formUnion($1) }
        let disjoint = assignments.map(\.count).reduce(0, +) == union.count
        return union == partitions && disjoint && assignments.map(\.count).sorted() == shares.sorted()
    }

    @Test("Three members on a 12-partition topic own all 12 between them, 4 each, none twice")
    func threeMembersShareEvenly() async throws {
        let (cluster, configuration) = try Self.makeCluster()
        let members = try (0..<3).map { _ in try Self.join(configuration) }
        let settled = try await Self.settle(members, shares: [4, 4, 4])
        #expect(settled, "assignments: \(members.map { $0.membership.assignment.sorted() })")
        // Every member's replayed events match its assignment now; checked before any member closes, since a
        // close rebalances the others while their event logs catch up.
        for member in members {
            #expect(member.log.replayed == member.membership.assignment)
        }
        for member in members { await member.close() }
        withExtendedLifetime(cluster) {}
    }

    @Test(
        "Closing a member moves its partitions to the others, disjointly; a survivor's events replay in order",
        arguments: ["cooperative-sticky", "roundrobin"])
    func closeMovesPartitions(strategy: String) async throws {
        let (cluster, configuration) = try Self.makeCluster(strategy: strategy)
        let members = try (0..<3).map { _ in try Self.join(configuration) }
        try #require(try await Self.settle(members, shares: [4, 4, 4]))
        let survivor = members[0]
        let before = survivor.membership.assignment
        let mark = survivor.log.count

        await members[2].close()
        #expect(members[2].membership.assignment.isEmpty)
        let settled = try await Self.settle(Array(members[0..<2]), shares: [6, 6])
        #expect(settled, "assignments: \(members[0..<2].map { $0.membership.assignment.sorted() })")

        let after = survivor.membership.assignment
        let changes = Array(survivor.log.events[mark...])
        #expect(survivor.log.replayed == after)
        if strategy == "roundrobin" {
            // Eager: everything is revoked first, then the new full set is assigned.
            #expect(changes.first == .revoked(before))
            #expect(changes.last == .assigned(after))
        } else {
            // Cooperative-sticky: nothing the survivor owned moves; it only gains the closed member's share.
            #expect(before.isSubset(of: after))
            #expect(!changes.contains { if case .revoked = $0 { true } else { false } })
        }
        for member in members[0..<2] { await member.close() }
        withExtendedLifetime(cluster) {}
    }

    @Test("A member that joins later takes a share; still every partition once", arguments: ["cooperative-sticky", "roundrobin"])
    func lateJoinerTakesShare(strategy: String) async throws {
        let (cluster, configuration) = try Self.makeCluster(strategy: strategy)
        var members = try (0..<2).map { _ in try Self.join(configuration) }
        try #require(try await Self.settle(members, shares: [6, 6]))

        members.append(try Self.join(configuration))
        let settled = try await Self.settle(members, shares: [4, 4, 4])
        #expect(settled, "assignments: \(members.map { $0.membership.assignment.sorted() })")
        // Every member's replayed events match its assignment now; checked before any member closes, since a
        // close rebalances the others while their event logs catch up.
        for member in members {
            #expect(member.log.replayed == member.membership.assignment)
        }
        for member in members { await member.close() }
        withExtendedLifetime(cluster) {}
    }

    @Test("A member that dies without leaving loses its partitions to the others once its session times out")
    func crashedMemberTimesOut() async throws {
        let (cluster, configuration) = try Self.makeCluster()
        var members = try (0..<3).map { _ in try Self.join(configuration) }
        try #require(try await Self.settle(members, shares: [4, 4, 4]))
        let lost = try #require(await Self.crash(&members))
        let settled = try await Self.settle(members, shares: [6, 6])
        #expect(settled, "assignments: \(members.map { $0.membership.assignment.sorted() })")
        #expect(lost.isSubset(of: members[0].membership.assignment.union(members[1].membership.assignment)))
        for member in members { await member.close() }
        withExtendedLifetime(cluster) {}
    }

    /// Abandons the last member (no LeaveGroup) and drops it, so its consumer is destroyed; returns what it owned.
    static func crash(_ members: inout [Member]) async -> Set<Int32>? {
        guard let victim = members.popLast() else { return nil }
        let owned = victim.membership.assignment
        await victim.membership.abandon()
        return owned
    }

    @Test("close() revokes everything owned, then ends the event sequence")
    func closeEndsEvents() async throws {
        let (cluster, configuration) = try Self.makeCluster()
        let membership = try KafkaGroupMembership(
            configuration: configuration, groupID: "solo", topic: "work", logger: TestSupport.logger)
        let reader = Task {
            var events: [GroupAssignmentEvent] = []
            for await event in membership.events { events.append(event) }
            return events
        }
        let deadline = ContinuousClock.now + .seconds(120)
        while membership.assignment != Self.partitions && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        try #require(membership.assignment == Self.partitions)
        await membership.close()
        await membership.close()  // A second close returns at once.
        let events = await reader.value
        #expect(events.first == .assigned(Self.partitions))
        #expect(events.last == .revoked(Self.partitions))
        #expect(membership.assignment.isEmpty)
        withExtendedLifetime(cluster) {}
    }

    @Test("An empty group id is a configuration error")
    func emptyGroupID() throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        #expect(throws: KafkaError.self) {
            _ = try KafkaGroupMembership(
                configuration: TestSupport.configuration(cluster), groupID: "", topic: "work", logger: TestSupport.logger)
        }
    }
}

/// A membership and every event it yielded so far (collected by a task until the sequence ends).
final class Member: Sendable {
    let membership: KafkaGroupMembership
    let log = EventLog()
    private let collector: Task<Void, Never>

    init(_ membership: KafkaGroupMembership) {
        self.membership = membership
        let log = self.log
        let events = membership.events  // Not the membership: a crashed member must be releasable.
        self.collector = Task {
            for await event in events { log.append(event) }
        }
    }

    /// Closes the membership and waits until its event sequence ended.
    func close() async {
        await membership.close()
        await collector.value
    }
}

final class EventLog: Sendable {
    private let storage = Mutex<[GroupAssignmentEvent]>([])

    func append(_ event: GroupAssignmentEvent) { storage.withLock { $0.append(event) } }
    var events: [GroupAssignmentEvent] { storage.withLock { $0 } }
    var count: Int { storage.withLock { $0.count } }

    /// The partitions owned after applying every event in order; records an issue when an event assigns a
    /// partition already owned or revokes one not owned.
    var replayed: Set<Int32> {
        var owned: Set<Int32> = []
        for event in events {
            switch event {
            case .assigned(let partitions):
                #expect(owned.isDisjoint(with: partitions), "assigned \(partitions.sorted()) while owning \(owned.sorted())")
                owned.formUnion(partitions)
            case .revoked(let partitions):
                #expect(partitions.isSubset(of: owned), "revoked \(partitions.sorted()) while owning \(owned.sorted())")
                owned.subtract(partitions)
            }
        }
        return owned
    }
}
