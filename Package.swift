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
        .executable(name: "connect-tui-net", targets: ["connect-tui-net"]),
        .library(name: "Pluggy", targets: ["Pluggy"]),
        .library(name: "PluggySandbox", targets: ["PluggySandbox"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
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
        // The live backend: Pluggy's REST API over HTTPS (AsyncHTTPClient).
        .target(
            name: "PluggyHTTP",
            dependencies: ["Pluggy", .product(name: "AsyncHTTPClient", package: "async-http-client")],
            swiftSettings: strict
        ),
        // `connect-tui serve`: the sandbox as a Pluggy-compatible HTTP server (Hummingbird).
        .target(
            name: "SandboxServer",
            dependencies: [
                "Pluggy", "PluggySandbox",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict
        ),
        // Cell grid, display width, colours, diff, and the txt / svg / asciicast / ANSI exporters.
        .target(name: "TerminalCanvas", swiftSettings: strict),
        // The update-mode flow: a pure state machine, and screens that render it into a canvas.
        .target(name: "ConnectWidget", dependencies: ["Pluggy", "TerminalCanvas"], swiftSettings: strict),
        // Headless runs of .tape scripts over the same engine, in virtual time.
        .target(name: "TapePlayer", dependencies: ["Pluggy", "PluggySandbox", "TerminalCanvas", "ConnectWidget"], swiftSettings: strict),
        // ncursesw (libncurses-dev) with the wide-character API: only CursesTerminal imports it.
        .systemLibrary(name: "CNCursesW", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),
        // The real terminal: draws canvases with ncurses on /dev/tty, reads keys, restores the terminal.
        .target(name: "CursesTerminal", dependencies: ["CNCursesW", "TerminalCanvas", "ConnectWidget"], swiftSettings: strict),
        // The commands (swift-argument-parser) over the sandbox, the widget, the terminal and tapes. What needs
        // the network stack goes through `NetworkCommands`, implemented in ConnectTUINet.
        .target(
            name: "ConnectTUICommands",
            dependencies: [
                "Pluggy",
                "PluggySandbox",
                "TerminalCanvas",
                "ConnectWidget",
                "TapePlayer",
                "CursesTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // The network half: `--backend pluggy` (AsyncHTTPClient) and `serve` (Hummingbird).
        .target(
            name: "ConnectTUINet",
            dependencies: ["ConnectTUICommands", "ConnectWidget", "Pluggy", "PluggySandbox", "TapePlayer", "CursesTerminal",
                           "PluggyHTTP", "SandboxServer"],
            swiftSettings: strict
        ),
        // The program people run. It links no network stack, so it starts fast and stays small; for
        // `serve` and `--backend pluggy` it execs connect-tui-net (installed beside it) with the same
        // arguments. (Depending on that executable target here would link its libraries in.)
        .executableTarget(
            name: "connect-tui",
            dependencies: ["ConnectTUICommands"],
            swiftSettings: strict
        ),
        // The same commands with the network half linked in.
        .executableTarget(
            name: "connect-tui-net",
            dependencies: ["ConnectTUICommands", "ConnectTUINet"],
            swiftSettings: strict
        ),
        // Release-mode benchmarks: `swift run -c release connect-tui-bench` (numbers in README).
        .executableTarget(
            name: "connect-tui-bench",
            dependencies: ["Pluggy", "PluggySandbox", "TerminalCanvas", "ConnectWidget", "TapePlayer"],
            swiftSettings: strict
        ),
        .testTarget(name: "PluggyTests", dependencies: ["Pluggy"], swiftSettings: strict),
        .testTarget(name: "PluggySandboxTests", dependencies: ["Pluggy", "PluggySandbox"], swiftSettings: strict),
        .testTarget(name: "TerminalCanvasTests", dependencies: ["TerminalCanvas"], swiftSettings: strict),
        .testTarget(name: "ConnectWidgetTests", dependencies: ["ConnectWidget", "Pluggy", "PluggySandbox", "TerminalCanvas"], swiftSettings: strict),
        .testTarget(name: "TapePlayerTests", dependencies: ["TapePlayer", "ConnectWidget", "PluggySandbox", "TerminalCanvas"], swiftSettings: strict),
        .testTarget(
            name: "SandboxServerTests",
            dependencies: [
                "SandboxServer", "PluggyHTTP", "PluggySandbox", "Pluggy",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "ConnectTUITests", dependencies: ["connect-tui", "connect-tui-net"], swiftSettings: strict),
    ]
)
