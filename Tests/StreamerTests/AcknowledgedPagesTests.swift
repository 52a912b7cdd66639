import Testing

@testable import Streamer

@Suite struct AcknowledgedPagesTests {
    @Test("a source's page is ready for a checkpoint only once it and every earlier page of the source are acknowledged")
    func waitsForEarlierPages() {
        var pages = AcknowledgedPages<String>()
        let first = pages.add("a0", source: "o/a", acknowledged: false)
        let second = pages.add("a1", source: "o/a", acknowledged: false)
        pages.acknowledge(id: second, source: "o/a")
        #expect(pages.takeAcknowledged().isEmpty, "a1 is acknowledged but a0 is not")
        pages.acknowledge(id: first, source: "o/a")
        #expect(pages.takeAcknowledged() == ["a0", "a1"])
        #expect(pages.isEmpty)
    }

    @Test("sources do not wait for each other; a page without records is acknowledged at once")
    func sourcesIndependent() {
        var pages = AcknowledgedPages<String>()
        _ = pages.add("b0", source: "o/b", acknowledged: false)
        let a0 = pages.add("a0", source: "o/a", acknowledged: false)
        _ = pages.add("c0", source: "o/c", acknowledged: true)
        pages.acknowledge(id: a0, source: "o/a")
        #expect(pages.takeAcknowledged() == ["a0", "c0"])
        #expect(!pages.isEmpty, "b0 still waits")
    }

    @Test("a failed page is removed with every later page of its source; earlier ones stay")
    func failureTakesLaterPages() {
        var pages = AcknowledgedPages<String>()
        let a0 = pages.add("a0", source: "o/a", acknowledged: false)
        let a1 = pages.add("a1", source: "o/a", acknowledged: false)
        _ = pages.add("a2", source: "o/a", acknowledged: true)
        _ = pages.add("b0", source: "o/b", acknowledged: true)
        #expect(pages.fail(id: a1, source: "o/a") == ["a1", "a2"])
        pages.acknowledge(id: a0, source: "o/a")
        #expect(pages.takeAcknowledged() == ["a0", "b0"])
        #expect(pages.isEmpty)
    }

    @Test("removing sources returns their waiting pages and leaves the others")
    func removeSources() {
        var pages = AcknowledgedPages<String>()
        _ = pages.add("a0", source: "o/a", acknowledged: true)
        _ = pages.add("b0", source: "o/b", acknowledged: false)
        #expect(pages.remove(sources: ["o/b"]) == ["b0"])
        #expect(pages.all == ["a0"])
    }
}
