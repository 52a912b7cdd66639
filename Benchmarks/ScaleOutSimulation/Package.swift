// swift-tools-version:6.2
import PackageDescription

// A simulation of scale-out (not run by CI): N organizations' work units divided among instances through
// Kafka's consumer-group protocol on librdkafka's mock cluster. `swift run -c release scale-out-simulation`.
/// SwiftPM names a path dependency after its folder, so the root package's identity is read from where this
/// manifest sits (two levels down).
let root = String(Context.packageDirectory.split(separator: "/").dropLast(2).last ?? "anthropic-admin-kafka-streamer")

let package = Package(
    name: "scale-out-simulation",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../.."),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "ScaleOutSimulation",
            dependencies: [
                .product(name: "Streamer", package: root),
                .product(name: "AdminClient", package: root),
                .product(name: "Kafka", package: root),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/ScaleOutSimulation"
        )
    ]
)
