// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
]

let package = Package(
    name: "connect-tui",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "connect-tui", targets: ["connect-tui"]),
        .library(name: "Pluggy", targets: ["Pluggy"]),
        .library(name: "PluggySandbox", targets: ["PluggySandbox"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
    ],
    targets: [
        // Pluggy's API model: Codable types with Pluggy's exact JSON, the Backend protocol, API errors.
        .target(name: "Pluggy", swiftSettings: strict),
        // The offline re-creation of Pluggy's sandbox: connect tokens, the mock backend, the catalogue.
        .target(
            name: "PluggySandbox",
            dependencies: [
                "Pluggy",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["catalogue.json"],
            swiftSettings: strict
        ),
        // The command-line program.
        .executableTarget(
            name: "connect-tui",
            dependencies: [
                "Pluggy",
                "PluggySandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "PluggyTests", dependencies: ["Pluggy"], swiftSettings: strict),
        .testTarget(name: "PluggySandboxTests", dependencies: ["Pluggy", "PluggySandbox"], swiftSettings: strict),
        .testTarget(name: "ConnectTUITests", dependencies: ["connect-tui"], swiftSettings: strict),
    ]
)
