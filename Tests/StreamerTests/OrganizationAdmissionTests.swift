import Testing

@testable import Streamer

/// A fleet's backfill runs a bounded number of organizations at once (memory), and every organization gets its
/// turn, in order of arrival.
@Suite struct OrganizationAdmissionTests {
    /// Where a turn's body waits until the test lets it out.
    actor Room {
        private(set) var inside = 0
        private(set) var most = 0
        private(set) var entered = 0
        private var doors: [CheckedContinuation<Void, Never>] = []

        func stay() async {
            inside += 1
            entered += 1
            most = max(most, inside)
            await withCheckedContinuation { doors.append($0) }
            inside -= 1
        }

        /// Counts an entry without staying.
        func passThrough() { entered += 1 }

        func letOneOut() {
            if !doors.isEmpty { doors.removeFirst().resume() }
        }
    }

    @Test("no more organizations than the width backfill at once, and each waiting one gets the next free turn")
    func width() async {
        let admission = OrganizationAdmission(width: 2)
        let room = Room()
        let finished = await withTaskGroup(of: Int.self) { group in
            for index in 0..<5 {
                group.addTask { await admission.withTurn { await room.stay(); return index } ?? -1 }
            }
            // Every organization is either in its turn or waiting for one.
            while await room.entered + admission.waitingCount < 5 { await Task.yield() }
            #expect(await room.inside == 2)
            #expect(await admission.waitingCount == 3)
            for expected in 3...5 {
                await room.letOneOut()
                while await room.entered < expected { await Task.yield() }
                #expect(await room.inside == 2)
            }
            await room.letOneOut()
            await room.letOneOut()
            var finished: [Int] = []
            for await index in group { finished.append(index) }
            return finished
        }
        #expect(finished.sorted() == [0, 1, 2, 3, 4])
        #expect(await room.most == 2)
    }

    @Test("a turn ended twice frees one place, not two")
    func turnEndsOnce() async throws {
        let admission = OrganizationAdmission(width: 1)
        let first = try #require(await admission.turn())
        let waiting = Task { await admission.turn() }
        while await admission.waitingCount < 1 { await Task.yield() }
        await first.end()
        await first.end()
        let second = try #require(await waiting.value)
        #expect(await admission.freeCount == 0)  // the second end freed nothing
        await second.end()
        #expect(await admission.freeCount == 1)
    }

    @Test("an organization cancelled while it waits leaves the queue without a turn; its body never runs and no turn is lost", .timeLimit(.minutes(1)))
    func cancelledWhileWaiting() async throws {
        let admission = OrganizationAdmission(width: 1)
        let first = try #require(await admission.turn())
        let ran = Room()
        let waiting = Task { await admission.withTurn { await ran.passThrough(); return 1 } }
        while await admission.waitingCount < 1 { await Task.yield() }
        waiting.cancel()
        #expect(await waiting.value == nil, "cancelled before its turn: no value")
        #expect(await admission.waitingCount == 0, "it left the queue")
        await first.end()
        #expect(await admission.freeCount == 1, "the turn went back to the pool, not to the cancelled waiter")
        #expect(await ran.entered == 0)
        let cancelledBeforeAsking = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await admission.turn()
        }
        #expect(await cancelledBeforeAsking.value == nil, "a cancelled task gets no turn even when one is free")
        #expect(await admission.freeCount == 1)
    }

    @Test("a width below one still lets organizations through, one at a time")
    func widthAtLeastOne() async {
        let admission = OrganizationAdmission(width: 0)
        let value = await admission.withTurn { 7 }
        #expect(value == 7)
    }
}
