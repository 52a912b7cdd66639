// swift-tools-version:6.2
import PackageDescription

/// One set of settings for every target (see STYLE.md). `STREAMER_STRICT=1` (set by `.ci/run`) turns
/// every warning in this package into an error; dependencies are unaffected.
var swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]
if Context.environment["STREAMER_STRICT"] == "1" {
    swiftSettings.append(.treatAllWarnings(as: .error))
}

let package = Package(
    name: "anthropic-admin-kafka-streamer",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "streamer", targets: ["StreamerCLI"]),
        .library(name: "AdminClient", targets: ["AdminClient"]),
        .library(name: "Streamer", targets: ["Streamer"]),
        // For Benchmarks/ (its own package): the sandbox API and the mock cluster it drives.
        .library(name: "AdminSandbox", targets: ["AdminSandbox"]),
        .library(name: "Kafka", targets: ["Kafka"]),
        // The product's JSON (span scanner, strict parser, writers), for Benchmarks/ and for clients that read
        // Admin API bytes themselves.
        .library(name: "JSONSpans", targets: ["JSONSpans"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // All C lives behind this module map; only Sources/Kafka/RdKafka imports it.
        .systemLibrary(
            name: "CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"]), .brew(["librdkafka"])]
        ),
        // libcurl for the Admin API transport; only Sources/AdminClient/Transport/Curl imports it.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]
        ),
        // The one JSON stack of the product: the hot path's span scanner, writer and fingerprint (no value tree),
        // and the strict parser, value tree and writer used off it (sandbox, log handler, settings files).
        .target(
            name: "JSONSpans",
            path: "Sources/JSON",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AdminClient",
            dependencies: [
                "CCurl",
                "JSONSpans",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AdminSandbox",
            dependencies: [
                "AdminClient",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Kafka",
            dependencies: [
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Streamer",
            dependencies: [
                "AdminClient",
                "Kafka",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "StreamerCLI",
            dependencies: [
                "Streamer",
                "AdminClient",
                "AdminSandbox",
                "Kafka",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AdminClientTests",
            dependencies: [
                "AdminClient",
                "AdminSandbox",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "JSONSpansTests",
            dependencies: ["JSONSpans", "AdminClient"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AdminSandboxTests",
            dependencies: ["AdminSandbox", "AdminClient"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KafkaTests",
            dependencies: [
                "Kafka",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The command line's settings model (flags, environment, settings file) as specifications.
        .testTarget(
            name: "StreamerCLITests",
            dependencies: [
                "StreamerCLI", "Streamer", "AdminClient", "Kafka",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StreamerTests",
            dependencies: [
                "Streamer",
                "AdminClient",
                "AdminSandbox",
                "JSONSpans",
                "Kafka",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                // Raw TCP clients for the operations endpoint's idle-timeout and connection-cap tests.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
