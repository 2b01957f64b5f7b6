// swift-tools-version:6.0
import PackageDescription

// Every target is compiled in Swift 6 language mode with the same upcoming features (STYLE.md §6).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "mixbit",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mixbit", targets: ["mixbit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Glibc does not export epoll/eventfd, so a tiny C target exposes them (STYLE.md §6).
        .target(name: "CEpoll"),
        // C system libraries for the Store (STYLE.md §6): modulemap + shim.h, no sources.
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"]), .brew(["libpq"])]),

        .target(name: "Engine", swiftSettings: swiftSettings),
        .target(name: "Store", dependencies: ["CSQLite", "CLibPQ"], swiftSettings: swiftSettings),
        .target(
            name: "Server",
            dependencies: [
                "Store",
                "Engine",
                .target(name: "CEpoll", condition: .when(platforms: [.linux])),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "mixbit",
            dependencies: [
                "Server",
                "Store",
                "Engine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),

        .testTarget(name: "EngineTests", dependencies: ["Engine"], swiftSettings: swiftSettings),
        // Child process that StoreTests SIGKILLs to prove acknowledged writes survive a crash.
        .executableTarget(
            name: "mixbit-store-crash-writer", dependencies: ["Store"], path: "Tests/StoreCrashWriter",
            swiftSettings: swiftSettings
        ),
        // bench/store: metric-ingestion benchmark driver (bench/store/run.sh).
        .executableTarget(
            name: "mixbit-store-bench", dependencies: ["Store"], path: "bench/store/StoreBench",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StoreTests", dependencies: ["Store", "mixbit-store-crash-writer"], swiftSettings: swiftSettings
        ),
        .testTarget(name: "ServerTests", dependencies: ["Server", "CEpoll"], swiftSettings: swiftSettings),
    ],
    swiftLanguageModes: [.v6]
)
