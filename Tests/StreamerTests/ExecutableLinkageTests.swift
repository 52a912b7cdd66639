import Testing

#if os(Linux)

/// What the `streamer` executable loads: the product imports FoundationEssentials only (docs/architecture.md §3),
/// which keeps Foundation's ICU data (~8 MiB of resident memory) out of the process. One stray `import Foundation`
/// in any target the executable links would bring it back; this fails then. (Linux: glibc's loader lists them.)
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
        #expect(libraries.contains("libFoundationEssentials.so"), "\(libraries)")
        #expect(libraries.contains("librdkafka.so.1"), "\(libraries)")
        for heavy in ["libFoundation.so", "lib_FoundationICU.so", "libFoundationInternationalization.so", "libFoundationNetworking.so"] {
            #expect(!libraries.contains(heavy), "\(heavy) is loaded: some target the executable links imports Foundation")
        }
    }
}
#endif
