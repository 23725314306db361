import Foundation
import ShidoJSON
import Testing
import TestSupport

/// `GET /metrics`, read by Prometheus' own text parser (prometheus_client, Tests/Metrics),
/// and the JSON log format, on a real daemon.
@Suite("Metrics and JSON logs")
struct MetricsTests {
    static let scraper = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Metrics/scrape.py").standardized.path

    /// Every sample, by `name{label=value,…}` (labels sorted).
    static func scrape(_ daemon: DaemonProcess) throws -> [String: Double] {
        let result = try Spawn.run("/usr/bin/env", ["python3", scraper, daemon.socket])
        guard result.status == 0 else { throw DaemonFailure("scrape.py failed: \(result.stderr)") }
        var samples: [String: Double] = [:]
        for (name, value) in try JSONParser.parse(result.stdout).objectValue ?? [:] {
            samples[name] = value.numberValue?.doubleValue
        }
        return samples
    }

    @Test("the figures move as appends and queries happen: appends, commits, requests by route and status, projection positions")
    func figuresMove() async throws {
        let daemon = try DaemonProcess.onTestCluster("metrics", extra: ["--log-format", "json", "--log-level", "notice"])
        try await daemon.start()
        defer { _ = try? daemon.stop(); daemon.removeFiles() }
        let before = try Self.scrape(daemon)
        #expect(before["shido_database_up{}"] == 1)
        #expect(before["shido_role_writer{}"] == 1)

        var last: Int64 = 0
        for number in 1...3 {
            last = try await ReplicationTests.register("M-\(number)", through: daemon)
        }
        let query = try await daemon.request(.GET, "/v1/views/companies?minPosition=\(last)")
        #expect(query.status == 200)
        let refused = try await daemon.request(.POST, "/v1/companies", contentType: "application/json", body: "{")
        #expect(refused.status == 400)
        let after = try Self.scrape(daemon)

        func grew(_ name: String, by amount: Double) {
            #expect((after[name] ?? 0) - (before[name] ?? 0) == amount, "\(name): \(before[name] ?? 0) → \(after[name] ?? 0)")
        }
        grew("shido_appends_total{}", by: 3)
        grew("shido_appended_events_total{}", by: 3)
        grew("shido_http_requests_total{method=POST,route=/v1/companies,status=201}", by: 3)
        grew("shido_http_requests_total{method=POST,route=/v1/companies,status=400}", by: 1)
        grew("shido_http_requests_total{method=GET,route=/v1/views/{view},status=200}", by: 1)
        #expect((after["shido_commit_duration_seconds_count{}"] ?? 0) >= (before["shido_commit_duration_seconds_count{}"] ?? 0) + 1)
        #expect((after["shido_events_per_commit_count{}"] ?? 0) >= 1)
        #expect(after["shido_log_head_position{}"] == Double(last))
        #expect(after["shido_projection_position{projection=directory}"] ?? 0 >= Double(last))
        #expect(after["shido_projection_lag_events{projection=directory}"] == 0)
        #expect(after["shido_projection_state{projection=directory,state=live}"] == 1)

        let lines = daemon.log.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            let entry = try JSONParser.parse(String(line))
            #expect(entry["time"]?.stringValue?.hasSuffix("Z") == true && entry["level"] != nil && entry["message"] != nil, "\(line)")
        }
        let refusal = try #require(lines.first { $0.contains("refused POST /v1/companies") }, "the refusal was logged:\n\(daemon.log)")
        let entry = try JSONParser.parse(String(refusal))
        #expect(entry["level"] == "notice" && entry["message"]?.stringValue?.hasPrefix("refused POST /v1/companies: 400") == true, "\(refusal)")
        #expect(entry["metadata"]?["uid"] == "0" && entry["label"] == "shidod", "\(refusal)")
    }

    @Test("a reader may scrape; a caller with no role may not")
    func scrapingNeedsAReader() async throws {
        let daemon = try await DaemonProcess.onTestCluster("metrics-access", extra: ["--socket-mode", "0666", "--user-roles", "daemon=reader"]).start()
        defer { _ = try? daemon.stop(); daemon.removeFiles() }
        func status(as user: String) throws -> String {
            try Spawn.run("/usr/sbin/runuser", ["-u", user, "--", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                                                 "--unix-socket", daemon.socket, "http://localhost/metrics"]).stdout
        }
        #expect(try status(as: "daemon") == "200")
        #expect(try status(as: "nobody") == "403")
    }
}
