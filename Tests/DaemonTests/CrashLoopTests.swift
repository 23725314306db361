import AuditProofs
import Foundation
import Glibc
import HexEncoding
import ShidoClient
import ShidoJSON
import TestSupport
import Testing

/// The whole contract under fire: writers that retry with their keys while the daemon and
/// its PostgreSQL are killed again and again.
@Suite("Crash loop", .serialized)
struct CrashLoopTests {
    static let writers = 16
    static let duration: Duration = .seconds(60)

    /// One writer's n-th request: a company registration (even writers) or a session on one
    /// of four shared engagements (odd writers), with its own Idempotency-Key.
    static func request(writer: Int, number: Int) -> (path: String, body: String, key: String) {
        let key = "w\(writer)-\(number)"
        if writer % 2 == 0 {
            return ("/v1/companies", #"{"code": "\#(key)", "name": "회사 \#(key)", "industry": "금형", "products": []}"#, key)
        }
        let body = #"{"sessionID": "\#(key)", "date": "2014-05-10", "hours": 1.5, "topic": "냉각 \#(key)", "format": "onSite", "attendees": 2}"#
        return ("/v1/engagements/g\((writer / 2) % 4)/sessions", body, key)
    }

    @Test("16 writers retrying with their keys while shidod and its postmaster are SIGKILLed every 1.5–4 s: nothing lost, nothing twice, chain intact, every checkpoint's root the log's")
    func crashLoop() async throws {
        let daemon = try DaemonProcess("crashloop", database: nil)
        defer { _ = try? daemon.stop(SIGKILL); daemon.removeFiles() }
        try await daemon.start()
        let data = daemon.directory + "/state/postgres"
        try await Self.prepareEngagements(daemon)
        let acknowledged = Locked<[String: [String]]>([:])  // key → event ids
        let stop = Locked(false)
        let socket = daemon.socket
        let writers = Task {
            await withTaskGroup(of: Void.self) { group in
                for writer in 0..<Self.writers {
                    group.addTask {
                        var number = 0
                        while !stop.value {
                            let request = Self.request(writer: writer, number: number)
                            if let ids = await Self.sendUntilAnswered(request, socket: socket, stop: stop) {
                                acknowledged.withLock { $0[request.key] = ids }
                            }
                            number += 1
                        }
                    }
                }
            }
        }
        var kills = 0
        var issued: [(size: Int64, root: String)] = []  // checkpoints signed between the kills
        var random = SeededRandom(seed: UInt64(UInt32(truncatingIfNeeded: time(nil))))
        let deadline = ContinuousClock.now + Self.duration
        while ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(1_500 + Int(random.next() % 2_500)))
            let postmaster = ClusterProcesses.postmaster(dataDirectory: data)
            kill(daemon.pid, SIGKILL)
            if let postmaster { kill(postmaster, SIGKILL) }
            let pid = daemon.pid
            _ = try await offPool { Spawn.wait(pid, timeout: .seconds(30)) }
            kills += 1
            try await daemon.start(timeout: .seconds(120))
            if let checkpoint = try? await Self.checkpoint(daemon, size: nil) { issued.append(checkpoint) }
        }
        // Let every writer finish the request it is on (each retries until answered).
        stop.withLock { $0 = true }
        await writers.value
        let answered = acknowledged.value
        let dump = try await offPool { try daemon.cli(["dump"]) }
        let events = dump.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
        let ids = events.compactMap { $0["id"]?.stringValue }
        print("crash loop: \(kills) kills, \(answered.count) requests acknowledged, \(events.count) events in the log")
        #expect(kills >= 5, "a loaded machine restarts slower, but the loop must have killed often")
        #expect(answered.count > 100, "appends were acknowledged between the kills")
        #expect(Set(ids).count == ids.count, "no event id twice")
        let recorded = Set(ids)
        let missing = answered.filter { !$0.value.allSatisfy(recorded.contains) }
        #expect(missing.isEmpty, "\(missing.count) acknowledged requests are not in the log: \(missing.keys.sorted().prefix(5))")
        #expect(events.compactMap { $0["position"]?.numberValue.flatMap { Int64($0.literal) } } == Array(1...Int64(events.count)), "positions 1…N")
        var versions: [String: [Int64]] = [:]
        var entries: [String: Int] = [:]
        for event in events {
            guard let stream = event["stream"]?.stringValue, let version = event["version"]?.numberValue.flatMap({ Int64($0.literal) }) else { continue }
            versions[stream, default: []].append(version)
            let entry = event["data"]?["sessionID"]?.stringValue ?? event["data"]?["code"]?.stringValue
            if let entry { entries[stream + "/" + entry, default: 0] += 1 }
        }
        let companies = answered.keys.filter { key in Int(key.dropFirst().prefix { $0 != "-" }).map { $0 % 2 == 0 } ?? false }.count
        #expect(versions.count == companies + 6, "a stream per registered company, plus the shared company, engineer and 4 engagements")
        #expect(versions.values.reduce(0) { $0 + $1.count } == events.count, "every event belongs to a stream it counts in")
        #expect(versions.allSatisfy { $0.value == Array(1...Int64($0.value.count)) }, "every stream's versions are 1…n")
        #expect(entries.count == answered.count + 1, "every acknowledged request, and the shared company, is an entry")
        #expect(entries.values.allSatisfy { $0 == 1 }, "every request recorded once: \(entries.filter { $0.value > 1 }.keys.prefix(5))")
        let verify = try daemon.cli(["audit", "verify", "--output", "json"])
        let verdict = try JSONParser.parse(verify.stdout)
        #expect(verify.status == 0 && verdict["intact"] == true, "\(verify.stdout)")

        // The tree and the log agree after the restarts, and no checkpoint signed between the
        // kills names a root that the log does not give.
        issued.append(try await Self.checkpoint(daemon, size: Int64(events.count)))
        let expected = try IndependentRFC9162.answer([
            "leaves": .array(events.compactMap { $0["hash"]?.stringValue }.map(JSONValue.string)),
            "rootSizes": .array(issued.map { .number(JSONNumber(Int($0.size))) }), "inclusion": [], "consistency": [],
        ])
        #expect(issued.count > kills / 2, "checkpoints were signed between the kills")
        for checkpoint in issued {
            #expect(checkpoint.root == expected["roots"]?["\(checkpoint.size)"]?.stringValue, "the checkpoint of \(checkpoint.size) events")
        }
    }

    /// The daemon's signed checkpoint (of `size` events, or as far as its tree has got): size and hex root.
    static func checkpoint(_ daemon: DaemonProcess, size: Int64?) async throws -> (size: Int64, root: String) {
        let reply = try await daemon.request(.GET, "/v1/audit/checkpoint" + (size.map { "?size=\($0)" } ?? ""))
        let json = try JSONParser.parse(reply.body)
        guard reply.status == 200, let issued = json["size"]?.numberValue?.int64Value,
              let root = json["root"]?.stringValue.flatMap({ Data(base64Encoded: $0) })
        else { throw DaemonFailure("checkpoint: \(reply.status) \(String(decoding: reply.body, as: UTF8.self))") }
        return (issued, Hex.encode(Array(root)))
    }

    static func prepareEngagements(_ daemon: DaemonProcess) async throws {
        let setup: [(String, String)] = [
            ("/v1/companies", #"{"code": "G", "name": "공유", "industry": "금형", "products": []}"#),
            ("/v1/engineers", #"{"engineerID": "t", "name": "田中", "specialty": "金型", "career": "40年"}"#),
        ] + (0..<4).map { number in
            ("/v1/engagements", #"{"engagementID": "g\#(number)", "companyCode": "G", "engineerID": "t", "guidanceFields": ["금형"], "goals": ["productivity"], "startDate": "2014-04-01", "programYear": 2014}"#)
        }
        for (path, body) in setup {
            let reply = try await daemon.request(.POST, path, contentType: "application/json", body: body)
            try #require(reply.status == 201)
        }
    }

    /// Sends until the daemon answers 2xx (the event ids it names); retries, with the same
    /// key, connection failures, 503s and "try again" conflicts (two writers share each
    /// engagement). Gives up (nil) only on another answer.
    static func sendUntilAnswered(_ request: (path: String, body: String, key: String), socket: String, stop: Locked<Bool>) async -> [String]? {
        while true {
            do {
                let reply = try await ShidoConnection.withConnection(socketPath: socket) { connection in
                    try await connection.send(.POST, request.path, contentType: "application/json", body: Array(request.body.utf8),
                                              extraHeaders: [("Idempotency-Key", request.key)])
                }
                if reply.isSuccess {
                    return (try? JSONParser.parse(reply.body))?["events"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
                }
                if reply.status != 503 && reply.status != 409 {
                    Issue.record("\(request.key): \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
                    return nil
                }
            } catch {}
            try? await Task.sleep(for: .milliseconds(100))
        }
    }
}
