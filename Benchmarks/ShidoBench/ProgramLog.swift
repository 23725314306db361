import EventStore
import Foundation
import ShidoDomain
import ShidoJSON

/// A synthetic program log: ~200 events per engagement (sessions 60%, outcomes 20%, trade
/// flows 10%, corrections and retractions 10%), engagements interleaved in chunks of 50.
enum ProgramLog {
    static let eventsPerEngagement = 200

    /// Appends engagements `range` (with their companies and engineers) and returns the events written.
    static func write(engagements range: Range<Int>, to store: EventStore) async throws -> Int {
        let streams = range.map { (StreamName.engagement(engagementID($0)), events(forEngagement: $0)) }
        var written = 0
        for index in range where index % 5 == 0 {
            let company = CompanyRegistered(code: try CompanyCode("C\(index / 5)"), name: "회사 \(index / 5) (株式会社)", industry: industries[index % industries.count], products: ["부품"])
            let engineer = EngineerRegistered(engineerID: try EngineerID("eng-\(index / 5)"), name: "技術者 \(index / 5)", specialty: "品質", career: "40年")
            _ = try await store.append([event(.companyRegistered(company))], to: StreamName.company(company.code))
            _ = try await store.append([event(.engineerRegistered(engineer))], to: StreamName.engineer(engineer.engineerID))
            written += 2
        }
        let chunk = 50
        let rounds = (eventsPerEngagement + chunk - 1) / chunk
        for round in 0..<rounds {
            written += try await withThrowingTaskGroup(of: Int.self) { group in
                for lane in 0..<16 {
                    group.addTask {
                        var count = 0
                        for (offset, stream) in streams.enumerated() where offset % 16 == lane {
                            let slice = stream.1.dropFirst(round * chunk).prefix(chunk)
                            guard !slice.isEmpty else { continue }
                            _ = try await store.append(Array(slice), to: stream.0)
                            count += slice.count
                        }
                        return count
                    }
                }
                return try await group.reduce(0, +)
            }
        }
        return written
    }

    static let industries = ["금형", "화학", "전자 소재", "기계 부품", "정밀화학", "냉동 공조", "계측 장비", "건축 자재"]

    static func engagementID(_ index: Int) -> EngagementID { try! EngagementID("e\(index)") }

    static func events(forEngagement index: Int) -> [NewEvent] {
        let year = 2015 + index % 10
        let start = EngagementStarted(
            engagementID: engagementID(index), companyCode: try! CompanyCode("C\(index / 5)"), engineerID: try! EngineerID("eng-\(index / 5)"),
            guidanceFields: ["공정 안정화"], goals: [.productivity], startDate: date(year, 4, 1), programYear: year)
        var events = [event(.engagementStarted(start))]
        var sessions: [(UUID, GuidanceSessionLogged)] = []
        var flows: [UUID] = []
        for entry in 1..<(eventsPerEngagement - 1) {
            let when = date(year + entry / 120, 1 + entry % 12, 1 + entry % 28)
            switch entry % 10 {
            case 0...5:
                let session = GuidanceSessionLogged(sessionID: try! SessionID("s\(entry)"), date: when, hours: 2, topic: "공정 개선 \(entry)")
                let new = event(.guidanceSessionLogged(session))
                sessions.append((new.id, session))
                events.append(new)
            case 6, 7:
                events.append(event(.outcomeReported(OutcomeReported(
                    outcomeID: try! OutcomeID("o\(entry)"), date: when, kind: entry % 20 == 6 ? .defectRate : .productivity,
                    description: "불량률 개선 \(entry)"))))
            case 8:
                let new = event(.exportRecorded(ExportRecorded(
                    tradeID: try! TradeID("t\(entry)"), direction: (index + entry) % 3 == 0 ? .japanToKorea : .koreaToJapan,
                    period: .month(when.yearMonth), counterparty: "取引先 \(index)", product: "부품",
                    value: Money(amount: try! DecimalAmount("\(1000 + entry)"), currency: try! Currency(entry % 4 == 0 ? "KRW" : "JPY")))))
                flows.append(new.id)
                events.append(new)
            default:
                if entry % 20 == 9, let (id, session) = sessions.last {
                    var corrected = session
                    corrected.hours = 3
                    events.append(event(.entryCorrected(EntryCorrected(correctedEventID: id.uuidString.lowercased(), reason: "정정", session: corrected))))
                } else if let id = flows.popLast() {
                    events.append(event(.entryRetracted(EntryRetracted(retractedEventID: id.uuidString.lowercased(), reason: "중복"))))
                }
            }
        }
        if index % 2 == 0 { events.append(event(.engagementCompleted(EngagementCompleted(date: date(year + 1, 3, 31), summary: "완료")))) }
        return events
    }

    static func date(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate { try! CalendarDate(year: year, month: month, day: day) }

    static func event(_ domain: DomainEvent) -> NewEvent {
        NewEvent(type: domain.type, schemaVersion: domain.schemaVersion, data: domain.data, metadata: ["actor": ["uid": 0, "user": "bench"]])
    }
}
