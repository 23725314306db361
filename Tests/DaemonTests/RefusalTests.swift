import Foundation
import NIOHTTP1
import ShidoAPI
import ShidoClient
import ShidoJSON
import Testing
import TestSupport

@Suite("Every refusal is a problem document and writes nothing", .serialized)
struct RefusalTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let method: HTTPMethod
        let target: String
        var contentType: String? = "application/json"
        var body = ""
        var headers: [(String, String)] = []
        let status: Int
        let type: ProblemType
        var field: String?
        var description: String { name }
    }

    static let company = #"{"code": "A", "name": "에이정밀", "industry": "금속가공", "products": []}"#

    static let cases: [Case] = [
        Case(name: "unknown route", method: .GET, target: "/v1/nowhere", status: 404, type: .notFound),
        Case(name: "unknown engagement path", method: .POST, target: "/v1/engagements/no%20such/sessions", body: "{}", status: 404, type: .notFound),
        Case(name: "wrong method", method: .DELETE, target: "/v1/companies", status: 405, type: .methodNotAllowed),
        Case(name: "body over the limit", method: .POST, target: "/v1/companies", body: String(repeating: " ", count: 5000) + company,
             status: 413, type: .payloadTooLarge),
        Case(name: "wrong content type", method: .POST, target: "/v1/companies", contentType: "text/plain", body: company, status: 415, type: .unsupportedMediaType),
        Case(name: "malformed JSON", method: .POST, target: "/v1/companies", body: #"{"code": "A",}"#, status: 400, type: .badRequest),
        Case(name: "a rule", method: .POST, target: "/v1/companies", body: #"{"code": "B", "name": " ", "industry": "x", "products": []}"#,
             status: 422, type: .rejected, field: "/name"),
        Case(name: "unknown field", method: .POST, target: "/v1/companies", body: #"{"code": "B", "name": "b", "industry": "x", "products": [], "actor": "mallory"}"#,
             status: 422, type: .rejected, field: "/actor"),
        Case(name: "expected version", method: .POST, target: "/v1/companies?expectedVersion=5",
             body: #"{"code": "C", "name": "c", "industry": "x", "products": []}"#, status: 409, type: .conflict),
        Case(name: "browser origin", method: .GET, target: "/v1/status", headers: [("Origin", "http://example.com")], status: 403, type: .forbidden),
        Case(name: "browser referer", method: .POST, target: "/v1/companies", body: company, headers: [("Referer", "http://example.com/")],
             status: 403, type: .forbidden),
        Case(name: "bad query", method: .GET, target: "/v1/events?limit=zero", status: 400, type: .badRequest),
        Case(name: "restore into a non-empty store", method: .POST, target: "/v1/restore", contentType: "application/x-ndjson", body: "{}\n",
             status: 409, type: .conflict),
    ]

    @Test("refusals", arguments: cases)
    func refusal(_ refusal: Case) async throws {
        let daemon = try await DaemonProcess.onTestCluster("refuse", extra: ["--max-body-bytes", "4096"]).start()
        defer { _ = try? daemon.stop(); daemon.removeFiles() }
        let created = try await daemon.request(.POST, "/v1/companies", contentType: "application/json", body: Self.company)
        #expect(created.status == 201)
        let before = try await daemon.head()
        let reply = try await daemon.request(refusal.method, refusal.target, contentType: refusal.contentType, body: refusal.body, headers: refusal.headers)
        #expect(reply.status == refusal.status)
        #expect(reply.contentType == Problem.mediaType)
        let problem = try #require(Problem(json: try JSONParser.parse(reply.body)))
        #expect(problem.type == refusal.type && problem.status == refusal.status)
        if let field = refusal.field { #expect(problem.field == field) }
        if refusal.status == 405 { #expect(reply.header("Allow") == "POST", "RFC 9110: a 405 names the allowed methods") }
        #expect(try await daemon.head() == before, "nothing was written")
        #expect(daemon.log.contains("refused \(refusal.method.rawValue)"), "the refusal is logged")
    }

    @Test("the database going away answers 503 (health still 200), and the daemon reconnects when it is back")
    func databaseDown() async throws {
        let daemon = try DaemonProcess("down", database: nil)
        try await daemon.start()
        let cluster = try EmbeddedPostgresHandle(directory: daemon.directory + "/state/postgres")
        defer { _ = try? daemon.stop(); cluster.stop(); daemon.removeFiles() }
        #expect(try await daemon.request(.POST, "/v1/companies", contentType: "application/json", body: Self.company).status == 201)
        cluster.stop()
        let down = try await daemon.request(.GET, "/v1/events")
        #expect(down.status == 503 && down.contentType == Problem.mediaType)
        let problem = try #require(Problem(json: try JSONParser.parse(down.body)))
        let requestID = try #require(problem.requestID, "a server error names its request")
        #expect(daemon.log.contains(requestID), "the details are in the log under that id")
        #expect(!String(decoding: down.body, as: UTF8.self).contains("socket"), "PostgreSQL's text stays out of the answer")
        let health = try await daemon.request(.GET, "/v1/health")
        #expect(try health.status == 200 && JSONParser.parse(health.body) == ["status": "ok"], "alive without its database")
        let write = try await daemon.request(.POST, "/v1/engineers", contentType: "application/json",
                                             body: #"{"engineerID": "t", "name": "田中", "specialty": "溶接", "career": "40年"}"#)
        #expect(write.status == 503)
        try cluster.start()
        var status = 0
        for _ in 0..<100 where status != 201 {
            status = try await daemon.request(.POST, "/v1/engineers", contentType: "application/json",
                                              body: #"{"engineerID": "t", "name": "田中", "specialty": "溶接", "career": "40年"}"#).status
            if status != 201 { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(status == 201, "the daemon reconnected")
        let head = try await daemon.head()
        #expect(head == 2, "\(daemon.log.suffix(1500))")
    }
}
