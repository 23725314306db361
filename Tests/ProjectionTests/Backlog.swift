import EventStore
import Foundation
import ShidoDomain
import ShidoJSON

/// Synthetic engagements written straight to the store (fast, and valid for the projections):
/// a start, then sessions, and a Korea→Japan flow every tenth entry.
enum Backlog {
    static func start(_ engagement: Int) -> NewEvent {
        let started = EngagementStarted(
            engagementID: try! EngagementID("bulk-\(engagement)"), companyCode: try! CompanyCode("C\(engagement % 50)"),
            engineerID: try! EngineerID("engineer-\(engagement % 30)"), guidanceFields: ["品質管理"], goals: [.productivity],
            startDate: try! CalendarDate(year: 2020 + engagement % 5, month: 4, day: 1), programYear: 2020 + engagement % 5)
        return event(.engagementStarted(started))
    }

    static func entry(_ index: Int) -> NewEvent {
        if index % 10 == 9 {
            return event(.exportRecorded(ExportRecorded(
                tradeID: try! TradeID("t\(index)"), direction: .koreaToJapan, period: .month(try! YearMonth("2024-0\(1 + index % 9)")),
                counterparty: "取引先", product: "부품", value: Money(amount: try! DecimalAmount("1000"), currency: try! Currency("JPY")))))
        }
        return event(.guidanceSessionLogged(GuidanceSessionLogged(
            sessionID: try! SessionID("s\(index)"), date: try! CalendarDate(year: 2024, month: 1 + index % 12, day: 1 + index % 28),
            hours: 2, topic: "공정 개선 \(index)")))
    }

    static func event(_ domain: DomainEvent) -> NewEvent {
        NewEvent(type: domain.type, schemaVersion: domain.schemaVersion, data: domain.data, metadata: ["actor": ["uid": 0, "user": "test"]])
    }

    /// Writes `engagements` starts, then `entries` entries spread over them in batches.
    static func write(to store: EventStore, engagements: Int, entries: Int, offset: Int = 0) async throws {
        for engagement in 0..<engagements {
            _ = try await store.append([start(engagement)], to: "engagement-bulk-\(engagement)", expecting: .any)
        }
        try await appendEntries(to: store, engagements: engagements, range: offset..<(offset + entries))
    }

    static func appendEntries(to store: EventStore, engagements: Int, range: Range<Int>) async throws {
        let perStream = Dictionary(grouping: range) { $0 % engagements }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (engagement, indices) in perStream {
                group.addTask {
                    for chunk in stride(from: 0, to: indices.count, by: 500) {
                        let events = indices[chunk..<min(chunk + 500, indices.count)].map(entry)
                        _ = try await store.append(events, to: "engagement-bulk-\(engagement)", expecting: .any)
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
