import AdminClient
import Foundation
import Kafka
import Logging
import Testing

@testable import Streamer

/// Row state is loaded from the compacted state topic: owned scopes only, latest version wins, tombstones delete.
@Suite struct RowStateStoreTests {
    let logger = Logger(label: "row-state")
    let users = StateScope(organizationID: "org-a", table: .users)

    func cluster(_ records: [KafkaRecord], partitions: Int = 4) async throws -> KafkaMockCluster {
        let cluster = try KafkaMockCluster(brokers: 1)
        try cluster.createTopic("p.state", partitions: partitions)
        let producer = try KafkaProducer(configuration: KafkaConfiguration(bootstrapServers: cluster.bootstrapServers), logger: logger)
        _ = try await producer.send(records)
        await producer.close(timeout: .seconds(5))
        return cluster
    }

    func load(_ cluster: KafkaMockCluster, scopes: Set<StateScope>) async throws -> RowStateStore {
        try await RowStateStore.load(
            topic: "p.state", scopes: scopes, configuration: KafkaConfiguration(bootstrapServers: cluster.bootstrapServers),
            timeout: .seconds(30), logger: logger)
    }

    @Test("state records are keyed <organization_id>/<table>/<row key JSON> with 16 hex digits as value")
    func recordShape() {
        let state = RowState(scope: users, topic: "p.state")
        let upsert = state.upsertRecord(key: #"{"id":"u1"}"#, fingerprint: "00000000000000ff")
        #expect(upsert.topic == "p.state")
        #expect(upsert.key == ArraySlice(#"org-a/users/{"id":"u1"}"#.utf8))
        #expect(upsert.value == ArraySlice("00000000000000ff".utf8))
        let tombstone = state.tombstoneRecord(key: #"{"id":"u1"}"#)
        #expect(tombstone.key == upsert.key)
        #expect(tombstone.value == nil)
    }

    @Test("loading keeps only owned scopes, the latest fingerprint per key, and drops tombstoned keys")
    func load() async throws {
        let mine = RowState(scope: users, topic: "p.state")
        let members = RowState(scope: StateScope(organizationID: "org-a", table: .workspaceMembers), topic: "p.state")
        let theirs = RowState(scope: StateScope(organizationID: "org-b", table: .users), topic: "p.state")
        let cluster = try await cluster([
            mine.upsertRecord(key: #"{"id":"u1"}"#, fingerprint: "0000000000000001"),
            mine.upsertRecord(key: #"{"id":"u1"}"#, fingerprint: "0000000000000002"),
            mine.upsertRecord(key: #"{"id":"a/b"}"#, fingerprint: "00000000000000ab"),
            mine.upsertRecord(key: #"{"id":"gone"}"#, fingerprint: "0000000000000003"),
            mine.tombstoneRecord(key: #"{"id":"gone"}"#),
            members.upsertRecord(key: #"{"workspace_id":"w","user_id":"u1"}"#, fingerprint: "0000000000000004"),
            theirs.upsertRecord(key: #"{"id":"u9"}"#, fingerprint: "0000000000000005"),
        ])
        let store = try await load(cluster, scopes: [users])
        let state = store.state(for: users)
        #expect(state.count == 2)
        #expect(state.fingerprint(forKey: #"{"id":"u1"}"#) == "0000000000000002")
        #expect(state.fingerprint(forKey: #"{"id":"a/b"}"#) == "00000000000000ab")
        #expect(state.fingerprint(forKey: #"{"id":"gone"}"#) == nil)
        #expect(store.state(for: theirs.scope).count == 0, "not owned: not loaded")
        #expect(store.state(for: members.scope).count == 0, "not owned: not loaded")
    }

    @Test("a value that is not 16 hex digits keeps its key (so a deletion still becomes a tombstone) with a fingerprint no row matches")
    func malformedValue() async throws {
        let cluster = try await cluster([
            KafkaRecord(topic: "p.state", key: Array(#"org-a/users/{"id":"u1"}"#.utf8), value: Array("garbage".utf8))
        ])
        let state = try await load(cluster, scopes: [users]).state(for: users)
        #expect(state.count == 1)
        #expect(state.fingerprint(forKey: #"{"id":"u1"}"#) == "0000000000000000")
    }

    @Test("a missing state topic loads as empty")
    func missingTopic() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        let store = try await load(cluster, scopes: [users])
        #expect(store.state(for: users).count == 0)
    }

    @Test("fingerprints read back as written", arguments: ["", "a", #"{"id":"u1","email":"ana@example.com"}"#])
    func fingerprintHex(text: String) {
        let hex = Fingerprint.of(Array(text.utf8))
        #expect(hex.count == 16)
        #expect(Fingerprint.parse(hex.utf8) == Fingerprint.value(of: Array(text.utf8)))
    }
}
