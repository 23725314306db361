import Foundation
import Testing
import TestSupport

@Suite("schemathesis against docs/openapi.json", .serialized)
struct SchemathesisTests {
    static let runner = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Schemathesis/run.py").standardized.path

    @Test("examples, coverage and fuzzing, every check: no server error, every answer as documented, no schema-valid request refused as malformed")
    func apiMatchesTheDocument() async throws {
        let daemon = try await DaemonProcess.onTestCluster("schemathesis").start()
        defer { _ = try? daemon.stop(); daemon.removeFiles() }
        let socket = daemon.socket
        // A minute of waiting for a child: off the cooperative pool, which the other tests share.
        let result = try await offPool {
            try Spawn.run("/usr/bin/env", ["python3", Self.runner, socket, "--max-examples", "20", "--seed", "20261201"])
        }
        let summary = result.stdout.components(separatedBy: "SUMMARY").last ?? result.stdout
        print("schemathesis:\n\(summary.suffix(1500))")
        #expect(result.status == 0, "\(result.stdout.suffix(12_000))\n\(result.stderr.suffix(2_000))")
        #expect(result.stdout.contains("Tested: \(try Self.documentedOperations())"), "every operation was tested")
    }

    /// How many operations (path and method) docs/openapi.json describes.
    static func documentedOperations() throws -> Int {
        let document = URL(fileURLWithPath: runner).deletingLastPathComponent().appendingPathComponent("../../docs/openapi.json").standardized
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: document)) as? [String: Any]
        let paths = json?["paths"] as? [String: [String: Any]] ?? [:]
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]
        return paths.values.reduce(0) { $0 + $1.keys.filter(methods.contains).count }
    }
}
