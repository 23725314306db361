import Foundation
import ShidoDomain
import ShidoJSON
import Testing

@Suite("Strict decoding names the offending field")
struct StrictDecodingTests {
    static let session = #"{"sessionID": "s1", "date": "2014-05-10", "hours": 2.5, "topic": "금형", "format": "onSite", "attendees": 3}"#

    @Test("a valid body decodes")
    func valid() throws {
        let session = try StrictDecoder.decode(GuidanceSessionLogged.self, fromJSON: Self.session)
        #expect(session.hours == 2.5 && session.attendees == 3 && session.format == .onSite)
    }

    @Test("refusals", arguments: [
        (#""attendees": 3}"#, #""attendees": 3, "colour": "red"}"#, "/colour", "unknown field"),
        (#""attendees": 3"#, #""attendees": 3.5"#, "/attendees", "integer"),
        (#""attendees": 3"#, #""attendees": "3""#, "/attendees", "expected an integer"),
        (#""attendees": 3"#, #""attendees": 99999999999999999999"#, "/attendees", "integer"),
        (#""hours": 2.5"#, #""hours": "2.5""#, "/hours", "expected a number"),
        (#""format": "onSite""#, #""format": "onsite""#, "/format", "onSite, remote, inJapan"),
        (#""date": "2014-05-10""#, #""date": "2014-02-30""#, "/date", "not a calendar date"),
        (#""date": "2014-05-10""#, #""date": "10/05/2014""#, "/date", "YYYY-MM-DD"),
        (#""sessionID": "s1""#, #""sessionID": "s 1""#, "/sessionID", "session id"),
        (#""topic": "금형""#, #""topic": null"#, "/topic", "expected a string"),
        (#""hours": 2.5, "#, "", "/hours", "required field is missing"),
        (#""attendees": 3}"#, #""attendees": 3, "attendees": 4}"#, "/attendees", "duplicate"),
    ])
    func refusal(replacing original: String, with replacement: String, pointer: String, message: String) throws {
        let body = Self.session.replacingFirst(original, with: replacement)
        #expect(body != Self.session)
        #expect {
            try StrictDecoder.decode(GuidanceSessionLogged.self, fromJSON: body)
        } throws: { error in
            guard let problem = error as? DecodingProblem else { return false }
            return problem.pointer == pointer && problem.message.contains(message)
        }
    }

    @Test("nested and listed places get full pointers")
    func nestedPointers() {
        let outcome = #"{"outcomeID": "o1", "date": "2014-05-10", "kind": "defectRate", "description": "x", "evidence": "verified", "metric": {"name": "불량률", "before": 5, "after": 2}}"#
        #expect { try StrictDecoder.decode(OutcomeReported.self, fromJSON: outcome) } throws: {
            ($0 as? DecodingProblem)?.pointer == "/metric/unit"
        }
        let start = #"{"engagementID": "e", "companyCode": "A", "engineerID": "x", "guidanceFields": [], "goals": ["newProduct", "fame"], "startDate": "2014-04-01", "programYear": 2014}"#
        #expect { try StrictDecoder.decode(EngagementStarted.self, fromJSON: start) } throws: {
            ($0 as? DecodingProblem)?.pointer == "/goals/1"
        }
        let trade = #"{"tradeID": "t", "direction": "koreaToJapan", "period": {"month": "2015-01"}, "counterparty": "c", "product": "p", "value": {"amount": "-5", "currency": "JPY"}}"#
        #expect { try StrictDecoder.decode(ExportRecorded.self, fromJSON: trade) } throws: {
            ($0 as? DecodingProblem)?.pointer == "/value/amount"
        }
        let currency = trade.replacingFirst(#""-5", "currency": "JPY""#, with: #""5", "currency": "YEN""#)
        #expect { try StrictDecoder.decode(ExportRecorded.self, fromJSON: currency) } throws: {
            ($0 as? DecodingProblem)?.pointer == "/value/currency"
        }
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
