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
        .executable(name: "shido", targets: ["shido"]),
        .executable(name: "shido-bench", targets: ["ShidoBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // No traits: the server needs neither swift-configuration nor full Foundation.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // libpq, the C library; nothing outside PostgresClient imports it.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // Bytes as hexadecimal, for both sides of the socket (the CLI links no libpq).
        .target(
            name: "HexEncoding",
            swiftSettings: strict
        ),
        // The one safe Swift layer over libpq.
        .target(
            name: "PostgresClient",
            dependencies: ["CLibPQ", "HexEncoding"],
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
                "HexEncoding",
                "PostgresClient",
                "ShidoJSON",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // Commands in, events out: loads the streams a command depends on, decides, appends.
        .target(
            name: "CommandHandling",
            dependencies: ["EventStore", "ShidoDomain", "ShidoJSON", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        // Read models kept current from the log: runners, checkpoints, rebuilds, the board.
        .target(
            name: "Projections",
            dependencies: [
                "AuditProofs", "EventStore", "PostgresClient", "ShidoDomain", "ShidoJSON",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["SQL"],
            swiftSettings: strict,
            plugins: ["EmbedSchemaPlugin"]
        ),
        // The program-performance views: SQL over the versioned read models, now or at any past moment.
        .target(
            name: "ProgramViews",
            dependencies: ["Projections", "EventStore", "PostgresClient", "ShidoDomain", "ShidoJSON"],
            exclude: ["SQL"],
            swiftSettings: strict,
            plugins: ["EmbedSchemaPlugin"]
        ),
        // RFC 9162 Merkle trees over the log, their proofs, and C2SP signed checkpoints:
        // pure, so the CLI verifies what the daemon sends without trusting it.
        .target(
            name: "AuditProofs",
            dependencies: ["HexEncoding", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        // The program's performance as one HTML document (inline CSS and SVG) from the views'
        // JSON, in Korean, English or Japanese: templates and catalogues in Templates/.
        .target(
            name: "ProgramReport",
            dependencies: ["ShidoJSON", .product(name: "Mustache", package: "swift-mustache")],
            exclude: ["Templates"],
            swiftSettings: strict,
            plugins: ["EmbedSchemaPlugin"]
        ),
        // The socket API's contract, shared by daemon and CLI: roles and problem documents.
        .target(
            name: "ShidoAPI",
            dependencies: ["ShidoJSON"],
            swiftSettings: strict
        ),
        // The daemon's HTTP side: routes, peer-credential authorisation, problem documents,
        // the socket's lock and mode, systemd notifications.
        .target(
            name: "ShidoServer",
            dependencies: [
                "AuditProofs", "CommandHandling", "EventStore", "HexEncoding", "PostgresClient", "ProgramViews", "Projections", "ShidoAPI",
                "ShidoDomain",
                "ShidoJSON",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // HTTP/1.1 over a Unix socket, for the CLI and the benchmark; no libpq.
        .target(
            name: "ShidoClient",
            dependencies: [
                "ShidoAPI", "ShidoJSON",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "shidod",
            dependencies: [
                "AuditProofs",
                "EmbeddedPostgres",
                "Migrations",
                "EventStore",
                "CommandHandling",
                "Projections",
                "ProgramViews",
                "ShidoAPI",
                "ShidoServer",
                "ShidoJSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // The command-line client: talks only to the daemon's socket.
        .executableTarget(
            name: "shido",
            dependencies: [
                "AuditProofs", "HexEncoding", "ProgramReport", "ShidoClient", "ShidoAPI", "ShidoJSON", "TerminalOutput",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
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
                "ShidoClient",
                "ShidoDomain",
                "Projections",
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
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
            dependencies: ["PostgresClient", "EmbeddedPostgres", "Migrations", "ShidoDomain", "ShidoJSON"],
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
            name: "AuditProofsTests",
            dependencies: ["AuditProofs", "HexEncoding", "ShidoJSON", "TestSupport"],
            exclude: ["rfc9162.py"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ProgramReportTests",
            dependencies: ["ProgramReport", "ShidoDomain", "ShidoJSON"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TerminalOutputTests",
            dependencies: ["TerminalOutput", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "MigrationsTests",
            dependencies: ["Migrations", "PostgresClient", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DaemonTests",
            dependencies: [
                "shidod", "shido", "ShidoClient", "ShidoServer", "ShidoAPI", "ShidoJSON", "ShidoDomain", "PostgresClient", "ProgramViews",
                "EmbeddedPostgres", "TestSupport", "AuditProofs", "HexEncoding",
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            exclude: ["report-facts.js"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ProjectionTests",
            dependencies: [
                "AuditProofs", "HexEncoding", "Projections", "ProgramViews", "CommandHandling", "EventStore", "ShidoDomain", "ShidoJSON", "PostgresClient",
                "TestSupport", .product(name: "Logging", package: "swift-log"),
            ],
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
