// swift-tools-version:6.2
import PackageDescription

/// Warnings are errors in every target: the project builds with none.
let strict: [SwiftSetting] = [
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "shido",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "shidod", targets: ["shidod"]),
        .executable(name: "shido-bench", targets: ["ShidoBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        // libpq, the C library; nothing outside PostgresClient imports it.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // The one safe Swift layer over libpq.
        .target(
            name: "PostgresClient",
            dependencies: ["CLibPQ"],
            swiftSettings: strict
        ),
        // A private PostgreSQL cluster: initdb, pg_ctl, stale pid files.
        .target(
            name: "EmbeddedPostgres",
            dependencies: ["PostgresClient"],
            swiftSettings: strict
        ),
        // Strict JSON: parsing with JSON pointers in errors, and PostgreSQL's canonical jsonb text.
        .target(
            name: "ShidoJSON",
            swiftSettings: strict
        ),
        // The guidance program's vocabulary: events, commands, rules. Pure: no I/O, no clock.
        .target(
            name: "ShidoDomain",
            dependencies: ["ShidoJSON"],
            swiftSettings: strict
        ),
        // What the CLI prints: display width per grapheme cluster, tables, CSV.
        .target(
            name: "TerminalOutput",
            dependencies: ["CWideChar"],
            swiftSettings: strict
        ),
        // glibc's wcwidth in the C.UTF-8 locale (it needs _XOPEN_SOURCE, which Swift cannot set).
        .target(name: "CWideChar"),
        // Schema/*.sql embedded at build time, and the migrator that applies them.
        .target(
            name: "Migrations",
            dependencies: [
                "PostgresClient",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict,
            plugins: ["EmbedSchemaPlugin"]
        ),
        // The append-only event log: group commit, hash chain, reads, verification.
        .target(
            name: "EventStore",
            dependencies: [
                "PostgresClient",
                "ShidoJSON",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "shidod",
            dependencies: [
                "EmbeddedPostgres",
                "Migrations",
                "EventStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "ShidoBench",
            dependencies: [
                "PostgresClient",
                "EmbeddedPostgres",
                "Migrations",
                "EventStore",
                "ShidoJSON",
            ],
            path: "Benchmarks/ShidoBench",
            swiftSettings: strict
        ),
        // Build-time tool and plugin that turn Schema/*.sql into Swift source.
        .executableTarget(
            name: "embed-schema",
            path: "Plugins/EmbedSchemaTool",
            swiftSettings: strict
        ),
        .plugin(
            name: "EmbedSchemaPlugin",
            capability: .buildTool(),
            dependencies: ["embed-schema"]
        ),
        // Starts one embedded cluster per test process and hands out fresh databases.
        .target(
            name: "TestSupport",
            dependencies: ["PostgresClient", "EmbeddedPostgres", "Migrations", "ShidoDomain"],
            path: "Tests/TestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "PostgresClientTests",
            dependencies: ["PostgresClient", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "EmbeddedPostgresTests",
            dependencies: ["EmbeddedPostgres", "PostgresClient", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ShidoJSONTests",
            dependencies: ["ShidoJSON", "PostgresClient", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ShidoDomainTests",
            dependencies: ["ShidoDomain", "ShidoJSON", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TerminalOutputTests",
            dependencies: ["TerminalOutput"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "MigrationsTests",
            dependencies: ["Migrations", "PostgresClient", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "EventStoreTests",
            dependencies: ["EventStore", "ShidoJSON", "PostgresClient", "Migrations", "TestSupport"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
