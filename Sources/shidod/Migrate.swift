import ArgumentParser
import EventStore
import Foundation
import Logging
import Migrations

/// `shidod migrate`: applies Schema/ migrations and reports the log's head.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply the database schema migrations, then print the event log's head.",
        discussion: """
            Each migration runs once, in order, in its own transaction, under an advisory lock, \
            and is recorded with its SHA-256. A migration that was applied and has since changed, \
            or one this build does not know, stops shidod before it changes anything.
            """
    )

    @OptionGroup var options: DaemonOptions

    func run() async throws {
        let opened = try OpenDatabase.open(try options.resolve(), logger: Logger(label: "shidod"))
        defer { opened.close() }
        let report = try Migrator().migrate(opened.settings)
        for name in report.applied { FileHandle.standardError.write(Data("applied \(name)\n".utf8)) }
        let store = EventStore(settings: opened.settings.assuming(role: "shido_app"))
        let head = try await store.head()
        await store.shutdown()
        print("schema: \(report.applied.count + report.alreadyApplied.count) migrations (\(report.applied.count) applied now)")
        print("head position: \(head.position)")
        print("head hash: \(head.hashHex)")
    }
}
