// swift-tools-version:6.3
import PackageDescription

// The benchmarks of anthropic-admin-kafka-streamer: never built by the root package's `swift test`.
//
// - `swift run -c release streamer-benchmark [--quick]`: end to end (sandbox → `streamer backfill` → mock
//   cluster) against the raw librdkafka and `kcat -P` ceilings, per delivery mode; see README "Benchmarks".
// - `swift run streamer-benchmark memory [--rows 10000,1000000] [--env NAME=VALUE]`: resident memory (peak,
//   anonymous vs file-backed, by library) of a release `streamer backfill` against `streamer sandbox`; build
//   the streamer first with `scripts/build-release` at the root. Writes results/memory.txt.
// - `swift package benchmark`: the hot-path micro-benchmarks (ordo-one package-benchmark).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// SwiftPM names a path dependency after its folder (`wt-bench`, `anthropic-admin-kafka-streamer`, a CI
/// clone's folder…), so the root package's identity is read from where this manifest sits.
let root = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "anthropic-admin-kafka-streamer")

let package = Package(
    name: "streamer-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
    ],
    targets: [
        .target(
            name: "BenchmarkFixtures",
            dependencies: [
                .product(name: "AdminClient", package: root),
                .product(name: "AdminSandbox", package: root),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "streamer-benchmark",
            dependencies: [
                "BenchmarkFixtures",
                .product(name: "Streamer", package: root),
                .product(name: "AdminClient", package: root),
                .product(name: "AdminSandbox", package: root),
                .product(name: "Kafka", package: root),
                .product(name: "JSONSpans", package: root),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            path: "Sources/StreamerBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "HotPaths",
            dependencies: [
                "BenchmarkFixtures",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Streamer", package: root),
                .product(name: "AdminClient", package: root),
                .product(name: "AdminSandbox", package: root),
                .product(name: "Kafka", package: root),
                .product(name: "JSONSpans", package: root),
            ],
            path: "Benchmarks/HotPaths",
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
