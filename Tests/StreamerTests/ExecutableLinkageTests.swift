import Foundation
import Testing

#if os(Linux)

/// What the `streamer` executable loads and links: the product imports FoundationEssentials only
/// (docs/architecture.md §3), which keeps Foundation's ICU data (~8 MiB of resident memory) out of the process.
/// One stray `import Foundation` in any target the executable links would bring it back; this fails then, whether
/// the Swift libraries are shared (`swift build`, what the tests run) or linked in (`scripts/build-release`,
/// `--static-swift-stdlib`). (Linux: glibc's loader lists the shared ones.)
@Suite struct ExecutableLinkageTests {
    /// The shared libraries the dynamic loader would map for the built `streamer`, as `ldd` lists them: the loader
    /// prints them and exits when `LD_TRACE_LOADED_OBJECTS` is set, without running the program.
    func loadedLibraries() async throws -> [String] {
        let process = try StreamerProcess(arguments: ["--help"], environment: ["LD_TRACE_LOADED_OBJECTS": "1"])
        let status = try await process.waitForExit()
        #expect(status == 0, "\(process.standardError)")
        return process.standardOutput.split(separator: "\n").compactMap {
            $0.split(separator: " ").first.map { String($0.trimmingPrefix("\t")) }
        }
    }

    @Test("streamer loads FoundationEssentials and none of Foundation, its ICU data, internationalisation or networking")
    func foundationEssentialsOnly() async throws {
        let libraries = try await loadedLibraries()
        #expect(libraries.contains("librdkafka.so.1"), "\(libraries)")
        if libraries.contains("libswiftCore.so") {
            #expect(libraries.contains("libFoundationEssentials.so"), "\(libraries)")
        }
        for heavy in ["libFoundation.so", "lib_FoundationICU.so", "libFoundationInternationalization.so", "libFoundationNetworking.so"] {
            #expect(!libraries.contains(heavy), "\(heavy) is loaded: some target the executable links imports Foundation")
        }
    }

    @Test("streamer's own file holds no ICU data nor Foundation's internationalisation, linked in statically or not")
    func noICULinkedIn() throws {
        let executable = try Data(contentsOf: StreamerProcess.executable)
        // ICU's data (`icudt76_dat`, `icudt76l-brkitr`…) and Foundation's internationalisation module: thousands of
        // each in a program linking Foundation statically (`swiftc -static-stdlib`, `import Foundation`).
        for marker in ["icudt", "FoundationInternationalization"] {
            #expect(executable.range(of: Data(marker.utf8)) == nil, "\(marker) is linked into the streamer")
        }
        #expect(executable.range(of: Data("FoundationEssentials".utf8)) != nil, "the scan finds nothing at all")
    }
}
#endif
