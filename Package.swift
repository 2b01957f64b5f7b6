// swift-tools-version:6.0
import PackageDescription

// Every target is compiled in Swift 6 language mode with the same upcoming features (STYLE.md §6).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

// Opt-in host-specific code generation (AVX on this machine) for the Engine and its benchmark:
// `MIXBIT_NATIVE=1 swift build -c release …`. Off by default so that binaries stay portable.
let engineSettings: [SwiftSetting] = swiftSettings
    + (Context.environment["MIXBIT_NATIVE"] == "1" ? [.unsafeFlags(["-target-cpu", "native"])] : [])

// AVX2 + FMA kernels (x86-64 hosts): the whole module is compiled for Haswell-class CPUs (AVX2, FMA, BMI1/2, F16C,
// MOVBE, LZCNT) so that LLVM lowers Swift's SIMD8 types to 256-bit instructions. The Engine calls into it only
// after `CPUFeatures` has found every one of those flags, so the default binary still runs on older x86-64 CPUs.
#if arch(x86_64)
let x86V3Settings: [SwiftSetting] = swiftSettings + [.unsafeFlags(["-target-cpu", "haswell"])]
#else
let x86V3Settings: [SwiftSetting] = swiftSettings
#endif

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
        // glibc malloc tuning for the server process (mallopt is not in Swift's Glibc module).
        .target(name: "CMalloc"),
        // C system libraries for the Store (STYLE.md §6): modulemap + shim.h, no sources. SQLite is linked; libpq is
        // loaded on the first PostgreSQL connection (LibPQ.swift), so CLibPQ declares and does not link.
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]),
        .systemLibrary(name: "CLibPQ", providers: [.apt(["libpq-dev"])]),

        // The model graph's matrix products run on OpenBLAS's cblas_sgemm, which the Engine loads with dlopen on
        // first use (`OpenBLAS`), so the tracking server never maps it; only the kernel benchmark links it (COpenBLAS).
        // JSON values, parser and encoder, shared by the Engine's file formats and the Server's APIs.
        .target(name: "JSON", swiftSettings: swiftSettings),
        .target(name: "CPrefetch"),
        .target(name: "EngineKernelsX86V3", dependencies: ["CPrefetch"], swiftSettings: x86V3Settings),
        .target(name: "Engine", dependencies: ["JSON", "EngineKernelsX86V3"], swiftSettings: engineSettings),
        .target(name: "Store", dependencies: ["CSQLite", "CLibPQ"], swiftSettings: swiftSettings),
        .target(
            name: "Server",
            dependencies: [
                "JSON",
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
                "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),

        // Engine benchmark baseline: Float32 sgemv/sgemm from OpenBLAS (Debian: libopenblas-dev, cblas.h under
        // /usr/include/x86_64-linux-gnu/openblas-pthread, found through pkg-config "openblas").
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .executableTarget(
            name: "mixbit-bench-kernels",
            dependencies: ["Engine", "COpenBLAS"],
            path: "Sources/BenchKernels",
            swiftSettings: engineSettings
        ),

        .testTarget(name: "JSONTests", dependencies: ["JSON"], swiftSettings: swiftSettings),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "JSON"], swiftSettings: swiftSettings),
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
        .testTarget(name: "ServerTests", dependencies: ["Server", "JSON", "CEpoll", "CMalloc"], swiftSettings: swiftSettings),
    ],
    swiftLanguageModes: [.v6]
)
