import EmbeddedPostgres
import Foundation
import Glibc
import PostgresClient
import ShidoClient
import ShidoJSON
import Testing
import TestSupport

/// The guarantees at their edges, through the real daemon and CLI.
@Suite("The contract at its edges, end to end", .serialized)
struct ContractTests {
    static let company = #"{"code": "C", "name": "씨 금형", "industry": "금형", "products": []}"#
    static let engineer = #"{"engineerID": "t", "name": "田中", "specialty": "金型", "career": "40年"}"#
    static let start = #"{"engagementID": "g1", "companyCode": "C", "engineerID": "t", "guidanceFields": ["금형"], "goals": ["productivity"], "startDate": "2014-04-01", "programYear": 2014}"#

    static func session(_ id: String, hours: String = "2.5") -> String {
        #"{"sessionID": "\#(id)", "date": "2014-05-10", "hours": \#(hours), "topic": "냉각", "format": "onSite", "attendees": 2}"#
    }

    /// A daemon with company C, engineer t and engagement g1.
    static func daemonWithEngagement(_ label: String, extra: [String] = []) async throws -> DaemonProcess {
        let daemon = try await DaemonProcess.onTestCluster(label, extra: extra).start()
        for (path, body) in [("/v1/companies", company), ("/v1/engineers", engineer), ("/v1/engagements", start)] {
            let reply = try await daemon.request(.POST, path, contentType: "application/json", body: body)
            try #require(reply.status == 201, "\(path): \(String(decoding: reply.body, as: UTF8.self))")
        }
        return daemon
    }

    static func json(_ reply: Reply) throws -> JSONValue { try JSONParser.parse(reply.body) }

    @Test("an entry imported after the daemon cached the engagement can be corrected at once (no stale state)")
    func importThenCorrect() async throws {
        let daemon = try await Self.daemonWithEngagement("stale")
        defer { _ = try? daemon.stop(); daemon.removeFiles() }
        let logged = try await daemon.request(.POST, "/v1/engagements/g1/sessions", contentType: "application/json", body: Self.session("s0"))
        #expect(logged.status == 201)  // the handler now caches g1
        let file = daemon.directory + "/one.ndjson"
        try (#"{"command": "logSession", "engagementID": "g1", "body": \#(Self.session("s1"))}"# + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try daemon.cli(["import", file]).status == 0)
        let stream = try JSONParser.parse(try daemon.cli(["audit", "stream", "engagement-g1", "--output", "json"]).stdout)
        let imported = try #require(stream["events"]?.arrayValue?.last?["id"]?.stringValue)
        let corrected = try daemon.cli(["correct", imported, "--reason", "x", "--set", "hours=4"])
        #expect(corrected.status == 0, "\(corrected.stderr)")
    }

    @Test("a retry answers the original event ids and positions; an update already in force records nothing")
    func retriesAnswerPositions() async throws {
        let daemon = try await Self.daemonWithEngagement("retry")
        defer { _ = try? daemon.stop(); daemon.removeFiles() }
        let first = try await daemon.request(.POST, "/v1/engagements/g1/sessions", contentType: "application/json", body: Self.session("s1"))
        let again = try await daemon.request(.POST, "/v1/engagements/g1/sessions", contentType: "application/json", body: Self.session("s1"))
        #expect(first.status == 201 && again.status == 200)
        #expect(try Self.json(again)["unchanged"] == true)
        #expect(try Self.json(again)["events"] == Self.json(first)["events"], "same ids, positions and versions")
        let cli = try daemon.cli(["session", "log", "g1", "--id", "s1", "--date", "2014-05-10", "--hours", "2.5", "--topic", "냉각",
                                  "--format", "onSite", "--attendees", "2", "--output", "json"])
        #expect(try JSONParser.parse(cli.stdout)["events"] == Self.json(first)["events"], "\(cli.stdout)")
        let head = try await daemon.head()
        let patch = try await daemon.request(.PATCH, "/v1/companies/C", contentType: "application/json", body: #"{"name": "씨 금형"}"#)
        let patchReply = try Self.json(patch)
        #expect(patch.status == 200 && patchReply["unchanged"] == true, "\(patchReply)")
        #expect(try await daemon.head() == head, "nothing recorded")
        let changed = try await daemon.request(.PATCH, "/v1/companies/C", contentType: "application/json", body: #"{"name": "씨 금형 주식회사"}"#)
        #expect(changed.status == 201)
    }

    @Test("Idempotency-Key: the same key and body answer the first answer whatever happened since; another body is a 422")
    func idempotencyKeys() async throws {
        let daemon = try await Self.daemonWithEngagement("keys")
        defer { _ = try? daemon.stop(); daemon.removeFiles() }
        let key = [("Idempotency-Key", "k-\(UUID().uuidString)")]
        let first = try await daemon.request(.POST, "/v1/engagements/g1/sessions", contentType: "application/json", body: Self.session("s1"), headers: key)
        #expect(first.status == 201)
        let completed = try await daemon.request(.POST, "/v1/engagements/g1/complete", contentType: "application/json",
                                                 body: #"{"date": "2015-03-31", "summary": "완료"}"#)
        #expect(completed.status == 201)
        let retry = try await daemon.request(.POST, "/v1/engagements/g1/sessions", contentType: "application/json", body: Self.session("s1"), headers: key)
        #expect(retry.status == 201, "the first answer, although the engagement is completed now")
        #expect(try Self.json(retry) == Self.json(first))
        let other = try await daemon.request(.POST, "/v1/engagements/g1/sessions", contentType: "application/json", body: Self.session("s2"), headers: key)
        #expect(other.status == 422 && String(decoding: other.body, as: UTF8.self).contains("idempotency-key-reused"))
        let bad = try await daemon.request(.POST, "/v1/companies", contentType: "application/json", body: Self.company, headers: [("Idempotency-Key", "")])
        #expect(bad.status == 400)
    }

    @Test("Idempotency-Key on a correction: a retry after a later correction answers the first and records nothing")
    func keyedCorrection() async throws {
        let daemon = try await Self.daemonWithEngagement("keyedfix")
        defer { _ = try? daemon.stop(); daemon.removeFiles() }
        _ = try await daemon.request(.POST, "/v1/engagements/g1/sessions", contentType: "application/json", body: Self.session("s1"))
        let fix = { (hours: String) in
            #"{"engagementID": "g1", "sessionID": "s1", "reason": "정정", "session": \#(Self.session("s1", hours: hours))}"#
        }
        let key = [("Idempotency-Key", "fix-1")]
        let first = try await daemon.request(.POST, "/v1/corrections", contentType: "application/json", body: fix("3"), headers: key)
        #expect(first.status == 201, "\(String(decoding: first.body, as: UTF8.self))")
        let later = try await daemon.request(.POST, "/v1/corrections", contentType: "application/json", body: fix("4"))
        #expect(later.status == 201)
        let head = try await daemon.head()
        let retry = try await daemon.request(.POST, "/v1/corrections", contentType: "application/json", body: fix("3"), headers: key)
        let (retried, original) = (try Self.json(retry), try Self.json(first))
        #expect(retry.status == 201 && retried == original)
        #expect(try await daemon.head() == head, "the retry recorded nothing")
    }

    @Test("Idempotency-Key on an import: a retry answers the first summary, positions included; another body is a 422")
    func keyedImport() async throws {
        let daemon = try await Self.daemonWithEngagement("keyedimport")
        defer { _ = try? daemon.stop(); daemon.removeFiles() }
        let body = [
            #"{"command": "logSession", "engagementID": "g1", "body": \#(Self.session("s1"))}"#,
            #"{"command": "logSession", "engagementID": "g1", "body": \#(Self.session("s2"))}"#,
        ].joined(separator: "\n") + "\n"
        let key = [("Idempotency-Key", "import-1")]
        let first = try await daemon.request(.POST, "/v1/import", contentType: "application/x-ndjson", body: body, headers: key)
        #expect(first.status == 200, "\(String(decoding: first.body, as: UTF8.self))")
        _ = try await daemon.request(.POST, "/v1/engagements/g1/complete", contentType: "application/json", body: #"{"date": "2015-03-31", "summary": "완료"}"#)
        let head = try await daemon.head()
        let retry = try await daemon.request(.POST, "/v1/import", contentType: "application/x-ndjson", body: body, headers: key)
        let (retried, original) = (try Self.json(retry), try Self.json(first))
        #expect(retry.status == 200 && retried == original, "\(retried) vs \(original)")
        #expect(original["events"] == 2 && original["unchanged"] == 0)
        #expect(try await daemon.head() == head, "the retry recorded nothing")
        let other = try await daemon.request(.POST, "/v1/import", contentType: "application/x-ndjson",
                                             body: #"{"command": "logSession", "engagementID": "g1", "body": \#(Self.session("s3"))}"# + "\n", headers: key)
        #expect(other.status == 422 && String(decoding: other.body, as: UTF8.self).contains("idempotency-key-reused"))
    }

    @Test("corrections and retractions by the entry's own id, through the CLI and in an import")
    func correctionsByEntryID() async throws {
        let daemon = try await Self.daemonWithEngagement("entryid")
        defer { _ = try? daemon.stop(); daemon.removeFiles() }
        _ = try await daemon.request(.POST, "/v1/engagements/g1/sessions", contentType: "application/json", body: Self.session("s-c1"))
        let corrected = try daemon.cli(["correct", "--engagement", "g1", "--session", "s-c1", "--reason", "시간 오기", "--set", "hours=4", "--output", "json"])
        #expect(corrected.status == 0, "\(corrected.stderr)")
        let detail = try JSONParser.parse(try daemon.cli(["audit", "stream", "engagement-g1", "--output", "json"]).stdout)
        let correction = try #require(detail["events"]?.arrayValue?.last)
        #expect(correction["type"] == "EntryCorrected" && correction["data"]?["session"]?["hours"] == 4)
        let session = try #require(detail["events"]?.arrayValue?.first { $0["type"] == "GuidanceSessionLogged" })
        #expect(correction["data"]?["correctedEventID"] == session["id"], "recorded with the resolved event id")
        let second = try daemon.cli(["correct", "--engagement", "g1", "--session", "s-c1", "--reason", "주제 정정", "--set", "topic=새 주제"])
        #expect(second.status == 0, "\(second.stderr)")
        let again = try JSONParser.parse(try daemon.cli(["audit", "stream", "engagement-g1", "--output", "json"]).stdout)
        let latest = try #require(again["events"]?.arrayValue?.last?["data"]?["session"])
        #expect(latest["topic"] == "새 주제" && latest["hours"] == 4, "a second correction starts from the first one's result: \(latest)")
        let unknown = try daemon.cli(["retract", "--engagement", "g1", "--session", "nope", "--reason", "x"])
        #expect(unknown.status == 65 && unknown.stderr.contains("no session nope"), "\(unknown.stderr)")
        let usage = try daemon.cli(["retract", "--session", "s-c1", "--reason", "x"])
        #expect(usage.status == 64)
        let file = daemon.directory + "/fix.ndjson"
        try ([
            #"{"command": "logSession", "engagementID": "g1", "body": \#(Self.session("s-c2"))}"#,
            #"{"command": "correctEntry", "engagementID": "g1", "body": {"sessionID": "s-c2", "reason": "정정", "session": \#(Self.session("s-c2", hours: "1"))}}"#,
            #"{"command": "retractEntry", "engagementID": "g1", "body": {"sessionID": "s-c1", "reason": "중복"}}"#,
        ].joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let imported = try daemon.cli(["import", file, "--output", "json"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try JSONParser.parse(imported.stdout)["events"] == 3)
    }

    @Test("an NDJSON line longer than the body limit is refused at once with 413 naming the line")
    func lineCap() async throws {
        let daemon = try await DaemonProcess.onTestCluster("linecap", extra: ["--max-body-bytes", "2000"]).start()
        defer { _ = try? daemon.stop(); daemon.removeFiles() }
        let long = #"{"command": "registerCompany", "body": {"code": "L", "name": "\#(String(repeating: "가", count: 100_000))", "industry": "x", "products": []}}"#
        let body = Self.company.replacingOccurrences(of: "\"C\"", with: "\"A\"")
        let reply = try await daemon.request(.POST, "/v1/import", contentType: "application/x-ndjson",
                                             body: #"{"command": "registerCompany", "body": \#(body)}"# + "\n" + long + "\n")
        #expect(reply.status == 413)
        let problem = try Self.json(reply)
        #expect(problem["line"] == 2, "\(problem)")
        #expect(try await daemon.head() == 0)
    }

    @Test("a database with fsync off is refused at start-up; --allow-unsafe-durability serves it; status shows the settings")
    func unsafeDurabilityIsRefused() async throws {
        let server = try PrivateCluster("nofsync", settings: ["fsync": "off"])
        let cluster = server.cluster
        defer { server.remove() }
        let daemon = try DaemonProcess("nofsync", database: cluster.connectionSettings())
        defer { daemon.removeFiles() }
        let refused = try Spawn.run(Spawn.product("shidod"), daemon.arguments)
        #expect(refused.status != 0 && refused.stderr.contains("fsync is off"), "\(refused.stderr)")
        let unsafe = try DaemonProcess("nofsync2", database: cluster.connectionSettings(), extra: ["--allow-unsafe-durability"])
        defer { _ = try? unsafe.stop(); unsafe.removeFiles() }
        try await unsafe.start()
        let status = try JSONParser.parse(try unsafe.cli(["status", "--output", "json"]).stdout)
        #expect(status["durability"]?["fsync"] == "off" && status["durability"]?["safe"] == false && status["durability"]?["synchronousCommit"] == "on")
    }

    @Test("the CLI sends an Idempotency-Key and, when the connection drops before an answer, sends the same key again")
    func cliRetriesWithTheSameKey() throws {
        let directory = FileManager.default.temporaryDirectory.path + "/shido-flaky-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = directory + "/s.sock"
        let keys = directory + "/keys"
        // A stand-in daemon: drops the first connection after reading the request, answers the second.
        let script = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(4)
            out = open(sys.argv[2], 'w')
            for n in range(2):
                c, _ = s.accept(); data = b''
                while b'\\r\\n\\r\\n' not in data: data += c.recv(65536)
                head, _, body = data.partition(b'\\r\\n\\r\\n')
                length = [int(l.split(b':', 1)[1]) for l in head.split(b'\\r\\n') if l.lower().startswith(b'content-length:')]
                while len(body) < (length[0] if length else 0): body += c.recv(65536)
                key = [l.split(b':', 1)[1].strip() for l in data.split(b'\\r\\n') if l.lower().startswith(b'idempotency-key:')]
                out.write((key[0].decode() if key else '-') + '\\n'); out.flush()
                if n == 0: c.close(); continue
                body = b'{"stream": "company-F", "unchanged": false, "events": [{"id": "x", "type": "CompanyRegistered", "position": 1, "streamVersion": 1}]}'
                c.sendall(b'HTTP/1.1 201 Created\\r\\nContent-Type: application/json\\r\\nContent-Length: ' + str(len(body)).encode() + b'\\r\\n\\r\\n' + body); c.close()
            """
        let pid = try Spawn.start("/usr/bin/python3", ["-c", script, socket, keys], logPath: directory + "/py.log")
        defer { kill(pid, SIGKILL); _ = Spawn.wait(pid, timeout: .seconds(5)) }
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: socket) { usleep(50_000) }
        let result = try Spawn.run(Spawn.product("shido"), ["company", "register", "--code", "F", "--name", "에프", "--industry", "x", "--socket", socket])
        #expect(result.status == 0, "\(result.stderr)")
        let sent = try String(contentsOfFile: keys, encoding: .utf8).split(separator: "\n")
        #expect(sent.count == 2 && sent[0] == sent[1] && sent[0] != "-", "\(sent)")
    }
}

@Suite("Read your writes across CLI invocations", .serialized)
struct CallerReadYourWritesTests {
    @Test("a query in a new process waits for the caller's last write (504 while the projections are held back); --min-position 0 opts out")
    func queriesWaitForTheCallersLastWrite() async throws {
        let database = try TestCluster.freshDatabase("callerryw")
        let daemon = try await DaemonProcess("callerryw", database: database).start()
        defer { _ = try? daemon.stop(); daemon.removeFiles() }
        for (path, body) in [("/v1/companies", ContractTests.company), ("/v1/engineers", ContractTests.engineer), ("/v1/engagements", ContractTests.start)] {
            #expect(try await daemon.request(.POST, path, contentType: "application/json", body: body).status == 201)
        }
        let summary = { (extra: [String]) throws -> Spawn.Result in try daemon.cli(["query", "summary", "--output", "json"] + extra) }
        #expect(try summary([]).status == 0)
        // Hold every projection back: its next checkpoint write waits on these row locks.
        let holder = try PostgresConnection(database)
        defer { holder.close() }
        try holder.executeScript("BEGIN; SELECT * FROM shido.projection_checkpoints FOR UPDATE")
        let logged = try daemon.cli(["session", "log", "g1", "--id", "s1", "--date", "2014-05-10", "--hours", "2.5", "--topic", "냉각",
                                     "--format", "onSite", "--attendees", "2"])
        #expect(logged.status == 0, "\(logged.stderr)")
        let waited = try summary([])
        #expect(waited.status == 75, "the new process's query waits for the write, then 504: \(waited.stderr)")
        let optedOut = try summary(["--min-position", "0"])
        #expect(optedOut.status == 0, "\(optedOut.stderr)")
        try holder.executeScript("COMMIT")
        let caughtUp = try summary([])
        #expect(caughtUp.status == 0, "\(caughtUp.stderr)")
        let rows = try JSONParser.parse(caughtUp.stdout)["rows"]?.arrayValue ?? []
        #expect(rows.contains { $0["measure"] == "sessions" && $0["value"] == 1 }, "\(caughtUp.stdout)")
    }
}
