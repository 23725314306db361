import CommandHandling
import EventStore
import Foundation
import Logging
import PostgresClient
import ProgramViews
import Projections
import ShidoDomain
import ShidoJSON
import TestSupport

/// A migrated database with a store, a command handler, the projections running and a view reader.
final class ProgramFixture: Sendable {
    let superuser: ConnectionSettings
    let store: EventStore
    let handler: CommandHandler
    let service: ProjectionService
    let reader: ViewReader
    static let clerk = Caller(uid: 1000, user: "clerk")

    init(_ label: String, projections: [any Projection] = ShippedProjections.all, start: Bool = true) throws {
        superuser = try TestCluster.migratedDatabase(label)
        let app = superuser.assuming(role: "shido_app")
        store = EventStore(settings: app)
        handler = CommandHandler(store: store)
        service = ProjectionService(settings: app, projections: projections, logger: Logger(label: "test"))
        reader = ViewReader(settings: app, board: service.board)
        if start { service.start() }
    }

    /// Creates the fixture off the cooperative pool (creating a database blocks).
    static func make(_ label: String, projections: [any Projection] = ShippedProjections.all, start: Bool = true) async throws -> ProgramFixture {
        try await offPool { try ProgramFixture(label, projections: projections, start: start) }
    }

    func close() async {
        await service.stop()
        reader.shutdown()
        await store.shutdown()
    }

    /// Records commands in order; returns the last position written.
    @discardableResult
    func record(_ commands: [Command]) async throws -> Int64 {
        var last: Int64 = 0
        for command in commands {
            let receipt = try await handler.handle(command, as: Self.clerk)
            last = receipt.events.last?.position ?? last
        }
        return last
    }

    /// A view's rows, once the projections have reached `minPosition`.
    func rows(_ request: ViewRequest, minPosition: Int64 = 0) async throws -> [JSONValue] {
        let answer = try await reader.answer(request, minPosition: minPosition, timeout: .seconds(30))
        return try JSONParser.parse(answer.rowsJSON).arrayValue ?? []
    }

    func rows(_ view: ViewName, minPosition: Int64 = 0, asOf: String? = nil, configure: (inout ViewRequest) -> Void = { _ in }) async throws -> [JSONValue] {
        var request = ViewRequest(view: view)
        request.asOf = asOf
        configure(&request)
        return try await rows(request, minPosition: minPosition)
    }

    /// The summary as measure → value text.
    func summary(minPosition: Int64 = 0, asOf: String? = nil) async throws -> [String: String] {
        let rows = try await rows(.summary, minPosition: minPosition, asOf: asOf)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["measure"]!.stringValue!, $0["value"]!.textForm) })
    }

    func scalar(_ sql: String) throws -> Int64 {
        let connection = try PostgresConnection(superuser)
        defer { connection.close() }
        return try connection.execute(sql).int64(0, 0)
    }

    func text(_ sql: String) throws -> String {
        let connection = try PostgresConnection(superuser)
        defer { connection.close() }
        return try connection.execute(sql).string(0, 0)
    }

    func head() async throws -> Int64 { try await store.head().position }

    /// The views as the replay oracle answers them from the log up to `cutoff`.
    func oracle(_ requests: [ViewRequest], through cutoff: Int64) async throws -> [String] {
        let settings = superuser.assuming(role: "shido_app")
        return try await offPool {
            let connection = try PostgresConnection(settings)
            defer { connection.close() }
            return try ReplayOracle.answers(requests, through: cutoff, on: connection)
        }
    }
}

extension JSONValue {
    /// Numbers as written, strings as they are, the rest as canonical JSON.
    var textForm: String {
        switch self {
        case .number(let number): number.literal
        case .string(let text): text
        default: canonicalText
        }
    }
}

/// The seed's 12 cases with a correction of a trade value, a correction of session hours,
/// a retracted flow, a second flow in the other direction and two completions, so that every
/// rule of the views is exercised. Expected figures are computed by hand in the tests.
enum SeedFixture {
    /// Records everything; returns the last position written.
    @discardableResult
    static func record(into fixture: ProgramFixture, order: [Command]? = nil) async throws -> Int64 {
        var ids: [String: String] = [:]
        for command in try order ?? SeedCases.commands() {
            let receipt = try await fixture.handler.handle(command, as: ProgramFixture.clerk)
            if let key = entryKey(command) { ids[key] = receipt.events[0].id.uuidString.lowercased() }
        }
        return try await fixture.record(try amendments(ids))
    }

    static func entryKey(_ command: Command) -> String? {
        switch command {
        case .logSession(let engagement, let session): "\(engagement)/\(session.sessionID)"
        case .recordExport(let engagement, let trade): "\(engagement)/\(trade.tradeID)"
        default: nil
        }
    }

    static func original<T>(_ key: String, _ pick: (Command) -> T?) throws -> T {
        try SeedCases.commands().first { entryKey($0) == key }.flatMap(pick)!
    }

    static func amendments(_ ids: [String: String]) throws -> [Command] {
        let jTrade: ExportRecorded = try original("case-j/t1") { if case .recordExport(_, let trade) = $0 { trade } else { nil } }
        var corrected = jTrade
        corrected.value = Money(amount: try DecimalAmount("2500000"), currency: try Currency("JPY"))
        var aSession: GuidanceSessionLogged = try original("case-a/s2") { if case .logSession(_, let session) = $0 { session } else { nil } }
        aSession.hours = 4
        return [
            .correctEntry(try EngagementID("case-j"), EntryCorrected(correctedEventID: ids["case-j/t1"]!, reason: "세관 신고액 확인", trade: corrected)),
            .correctEntry(try EngagementID("case-a"), EntryCorrected(correctedEventID: ids["case-a/s2"]!, reason: "記録の誤り", session: aSession)),
            .retractEntry(try EngagementID("case-l"), EntryRetracted(retractedEventID: ids["case-l/t1"]!, reason: "중복 기록")),
            .recordExport(try EngagementID("case-d"), ExportRecorded(
                tradeID: try TradeID("t2"), direction: .japanToKorea, period: .month(try YearMonth("2016-02")),
                counterparty: "日本の装置メーカー", product: "코팅 장비", value: Money(amount: try DecimalAmount("300000"), currency: try Currency("JPY")))),
            .completeEngagement(try EngagementID("case-a"), EngagementCompleted(date: try CalendarDate("2013-03-31"), summary: "완료")),
            .completeEngagement(try EngagementID("case-b"), EngagementCompleted(date: try CalendarDate("2014-03-31"), summary: "완료")),
        ]
    }
}
