import AuditProofs
import Foundation
import HexEncoding
import PostgresClient
import ShidoJSON
import TestSupport
import Testing

/// Signed checkpoints and Merkle proofs end to end: the daemon's tree against an independent
/// RFC 9162 implementation over the dump's hashes, the CLI's own verification, tampering.
@Suite("Checkpoints and proofs an auditor checks alone", .serialized)
struct ProofTests {
    struct Log {
        let daemon: DaemonProcess
        let database: ConnectionSettings
        let keyFile: String

        static func start(_ label: String, companies: Int) async throws -> Log {
            let database = try TestCluster.freshDatabase(label)
            let daemon = try await DaemonProcess(label, database: database).start()
            let shown = try Spawn.run(Spawn.product("shidod"), ["key", "show"] + Array(daemon.arguments.dropFirst()))
            #expect(shown.status == 0, "\(shown.stderr)")
            let keyFile = daemon.directory + "/checkpoint.pub"
            try shown.stdout.write(toFile: keyFile, atomically: true, encoding: .utf8)
            let log = Log(daemon: daemon, database: database, keyFile: keyFile)
            try await log.register(companies, prefix: "P")
            return log
        }

        func register(_ count: Int, prefix: String) async throws {
            for number in 0..<count { _ = try await ReplicationTests.register("\(prefix)-\(number)", through: daemon) }
        }

        func json(_ target: String) async throws -> JSONValue {
            let reply = try await daemon.request(.GET, target)
            guard reply.status == 200 else { throw DaemonFailure("\(target): \(reply.status) \(String(decoding: reply.body, as: UTF8.self))") }
            return try JSONParser.parse(reply.body)
        }

        /// Waits until the tree covers the log's head; the signed checkpoint saved to a file.
        func checkpoint(file name: String) async throws -> (size: Int64, file: String) {
            let head = try await daemon.head()
            let reply = try await json("/v1/audit/checkpoint?size=\(head)")
            let file = daemon.directory + "/" + name
            try (reply["note"]?.stringValue ?? "").write(toFile: file, atomically: true, encoding: .utf8)
            return (head, file)
        }

        func superuser<Result>(_ body: (PostgresConnection) throws -> Result) throws -> Result {
            let connection = try PostgresConnection(database)
            defer { connection.close() }
            return try body(connection)
        }

        func rebuildTree() async throws {
            let asked = try daemon.cli(["projections", "rebuild", "tree"])
            #expect(asked.status == 0, "\(asked.stderr)")
            try await ReplicationTests.eventually("the tree is rebuilt", timeout: .seconds(60)) {
                let rows = try await json("/v1/projections")["projections"]?.arrayValue ?? []
                return rows.contains { $0["name"] == "tree" && $0["generation"]?.numberValue?.int64Value ?? 0 > 1 && $0["rebuilding"] == .null }
            }
        }
    }

    @Test("roots and proofs equal an independent RFC 9162 implementation's over the dump's hashes, for every size 1 to 40 and every leaf; the CLI verifies them itself")
    func crossChecked() async throws {
        let log = try await Log.start("proofs", companies: 40)
        defer { _ = try? log.daemon.stop(); log.daemon.removeFiles() }
        let (size, _) = try await log.checkpoint(file: "all.txt")
        #expect(size == 40)
        let events = try await log.json("/v1/events?limit=1000")["events"]?.arrayValue ?? []
        let leaves = events.compactMap { $0["hash"]?.stringValue }
        let pairs = (1...40).flatMap { n in (0..<n).map { [$0, n] } }
        let consistency = (1...40).flatMap { n in (1...n).map { [$0, n] } }
        let expected = try IndependentRFC9162.answer([
            "leaves": .array(leaves.map(JSONValue.string)),
            "inclusion": .array(pairs.map { .array($0.map { .number(JSONNumber($0)) }) }),
            "consistency": .array(consistency.map { .array($0.map { .number(JSONNumber($0)) }) }),
        ])
        for n in 1...40 {
            let checkpoint = try await log.json("/v1/audit/checkpoint?size=\(n)")
            let root = Data(base64Encoded: checkpoint["root"]?.stringValue ?? "").map { Hex.encode(Array($0)) }
            #expect(root == expected["roots"]?["\(n)"]?.stringValue, "root of \(n)")
        }
        for (index, pair) in pairs.enumerated() {
            let proof = try await log.json("/v1/audit/proofs/inclusion?position=\(pair[0] + 1)&size=\(pair[1])")
            #expect(proof["path"] == expected["inclusion"]?.arrayValue?[index], "PATH(\(pair[0]), \(pair[1]))")
        }
        for (index, pair) in consistency.enumerated() {
            let proof = try await log.json("/v1/audit/proofs/consistency?from=\(pair[0])&to=\(pair[1])")
            #expect(proof["proof"] == expected["consistency"]?.arrayValue?[index], "PROOF(\(pair[0]), \(pair[1]))")
        }

        let byPosition = try log.daemon.cli(["audit", "prove", "17", "--key", log.keyFile, "-o", "table"])
        #expect(byPosition.status == 0 && byPosition.stdout.hasPrefix("verified: event"), "\(byPosition.stdout)\(byPosition.stderr)")
        let id = try #require(events.first?["id"]?.stringValue)
        let byID = try log.daemon.cli(["audit", "prove", id.uppercased(), "--size", "5", "--key", log.keyFile, "-o", "table"])
        #expect(byID.status == 0 && byID.stdout.contains("in the log of 5 events"), "\(byID.stdout)\(byID.stderr)")
        let json = try log.daemon.cli(["audit", "prove", "17", "--key", log.keyFile, "-o", "json"])
        #expect(try JSONParser.parse(json.stdout)["path"]?.arrayValue?.count == 6)

        // docs/audit/verify_checkpoint.py: only the dump, the checkpoint and the key.
        let dump = log.daemon.directory + "/log.ndjson"
        let dumped = try log.daemon.cli(["dump"])
        #expect(dumped.status == 0, "\(dumped.stderr)")
        try dumped.stdout.write(toFile: dump, atomically: true, encoding: .utf8)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/audit/verify_checkpoint.py").standardized.path
        let independent = try Spawn.run("/usr/bin/env", ["python3", script, dump, log.daemon.directory + "/all.txt", log.keyFile])
        #expect(independent.status == 0 && independent.stdout.hasPrefix("verified: the dump's first 40 events"), "\(independent.stdout)\(independent.stderr)")

        let stranger = log.daemon.directory + "/stranger.pub"
        try "someone.else/shido+01020304+AQ\(String(repeating: "A", count: 42))=\n".write(toFile: stranger, atomically: true, encoding: .utf8)
        let wrongKey = try log.daemon.cli(["audit", "prove", "17", "--key", stranger])
        #expect(wrongKey.status != 0, "a key that did not sign the checkpoint verifies nothing")
    }

    @Test("the log still extends a kept checkpoint after more appends; changed history (chain recomputed, so verify passes) and a cut tail do not")
    func tampering() async throws {
        let log = try await Log.start("tamper", companies: 20)
        defer { _ = try? log.daemon.stop(); log.daemon.removeFiles() }
        let (_, kept) = try await log.checkpoint(file: "kept.txt")
        try await log.register(10, prefix: "Q")
        _ = try await log.checkpoint(file: "later.txt")
        let extended = try log.daemon.cli(["audit", "consistency", kept, "--key", log.keyFile, "-o", "table"])
        #expect(extended.status == 0 && extended.stdout.hasPrefix("verified: the log of 30 events extends the checkpoint of 20"), "\(extended.stdout)\(extended.stderr)")

        // As the superuser, with the append-only triggers off: event 7's data changed, and the
        // chain recomputed from there on, so that the chain alone shows nothing.
        try log.superuser { connection in
            try connection.executeScript("""
                ALTER TABLE shido.events DISABLE TRIGGER USER;
                UPDATE shido.events SET data = jsonb_set(data, '{name}', '"바뀐 회사"') WHERE position = 7;
                DO $$
                DECLARE p bigint;
                BEGIN
                    FOR p IN SELECT position FROM shido.events WHERE position >= 7 ORDER BY position LOOP
                        UPDATE shido.events e SET prev_hash = coalesce((SELECT hash FROM shido.events WHERE position = p - 1), shido.genesis_hash())
                        WHERE e.position = p;
                        UPDATE shido.events e SET hash = shido.event_hash(e) WHERE e.position = p;
                    END LOOP;
                END $$;
                ALTER TABLE shido.events ENABLE TRIGGER USER;
                """)
        }
        let verify = try await log.json("/v1/audit/verify")
        #expect(verify["firstBreak"] == .null, "the recomputed chain verifies on its own")
        try await log.rebuildTree()
        let changed = try log.daemon.cli(["audit", "consistency", kept, "--key", log.keyFile, "-o", "table"])
        #expect(changed.status == 65, "\(changed.stdout)\(changed.stderr)")
        #expect(changed.stderr.contains("does not extend the checkpoint of 20 events"), "\(changed.stderr)")

        try log.superuser { connection in
            try connection.executeScript("""
                ALTER TABLE shido.events DISABLE TRIGGER USER;
                DELETE FROM shido.events WHERE position > 25;
                ALTER TABLE shido.events ENABLE TRIGGER USER;
                """)
        }
        let cut = try log.daemon.cli(["audit", "consistency", daemonFile(log, "later.txt"), "--key", log.keyFile])
        #expect(cut.status == 65, "a checkpoint of 30 events against a log of 25: \(cut.stdout)\(cut.stderr)")
    }

    private func daemonFile(_ log: Log, _ name: String) -> String { log.daemon.directory + "/" + name }
}
