import EventStore
import Foundation
import PostgresClient
import ShidoClient

/// PostgreSQL's own bulk path as the baseline for bulk appends: binary `COPY … FROM STDIN`
/// through libpq (binary beat text here: the server parses no integers, uuids, times or
/// hashes) into `bench_events`, a table made `LIKE shido.events INCLUDING ALL` (the same
/// columns, constraints and indexes; no append-only triggers, which are statement-level).
enum CopyBaseline {
    static let copyStatement: StaticOrTrustedSQL = """
        COPY bench_events (position, event_id, stream_id, stream_version, type, schema_version, data, metadata,
                           recorded_at, prev_hash, hash) FROM STDIN (FORMAT binary)
        """

    /// Transactions of `rowsPerCopy` sample events, one COPY each, for `seconds`.
    static func batches(_ bench: BenchEnvironment, rowsPerCopy: Int, seconds: Double, round: Int) async throws -> TrialResult {
        let connection = try PostgresConnection(bench.settings)
        defer { connection.close() }
        let hash = [UInt8](repeating: 7, count: 32)
        let data = SampleEvent.canonical
        let stream = "copy-\(round)-\(UUID().uuidString.prefix(8))"
        var next = Int64(round) << 40
        return try await measure(bench) {
            let deadline = Date().addingTimeInterval(seconds)
            var rows = 0
            while Date() < deadline {
                try connection.execute("BEGIN")
                _ = try connection.copyInBinary(copyStatement) { writer in
                    for _ in 0..<rowsPerCopy {
                        next += 1
                        try writer.beginRow(fieldCount: 11)
                        writer.int64(next)
                        writer.uuid(UUID())
                        writer.text(stream)
                        writer.int64(next)
                        writer.text("GuidanceSessionLogged")
                        writer.int32(1)
                        writer.jsonb(data)
                        writer.jsonb("{}")
                        writer.timestamp(micros: 1_790_000_000_000_000)
                        writer.bytea(hash)
                        writer.bytea(hash)
                    }
                }
                try connection.execute("COMMIT")
                rows += rowsPerCopy
            }
            return rows
        }
    }

    /// The events an import just recorded (`positions`), read back and written again with one
    /// COPY in one transaction: the same rows PostgreSQL's bulk path lands.
    static func sameEvents(_ bench: BenchEnvironment, positions: ClosedRange<Int64>) async throws -> TrialResult {
        let connection = try PostgresConnection(bench.settings)
        defer { connection.close() }
        let events = try RecordedEvent.all(in: try connection.execute(
            "SELECT \(RecordedEvent.columns) FROM shido.events WHERE position BETWEEN $1 AND $2 ORDER BY position",
            [positions.lowerBound, positions.upperBound]))
        return try await measure(bench) {
            try connection.execute("BEGIN")
            _ = try connection.copyInBinary(copyStatement) { writer in
                for event in events {
                    try writer.beginRow(fieldCount: 11)
                    writer.int64(event.position)
                    writer.uuid(event.id)
                    writer.text(event.streamID)
                    writer.int64(event.streamVersion)
                    writer.text(event.type)
                    writer.int32(Int32(event.schemaVersion))
                    writer.jsonb(event.data)
                    writer.jsonb(event.metadata)
                    writer.timestamp(micros: event.recordedAtMicros)
                    writer.bytea(event.previousHash)
                    writer.bytea(event.hash)
                }
            }
            try connection.execute("COMMIT")
            return events.count
        }
    }
}

/// `POST /v1/import` of a whole file through the socket, as `shido import` sends it: every
/// line parsed, decided against the streams' states, hash-chained, one transaction.
enum ImportTrial {
    /// 100,000 commands: `engagements` engagements of 200 lines (company, engineer, start,
    /// 197 sessions), codes unique to `round`.
    static func file(round: Int, engagements: Int = 500) -> [UInt8] {
        var text = ""
        for number in 0..<engagements {
            let id = "r\(round)-\(number)"
            text += #"{"command": "registerCompany", "body": {"code": "c\#(id)", "name": "회사 \#(number) (会社)", "industry": "금형", "products": ["사출 금형"]}}"# + "\n"
            text += #"{"command": "registerEngineer", "body": {"engineerID": "e\#(id)", "name": "山田 \#(number)", "specialty": "金型", "career": "40年"}}"# + "\n"
            text += #"{"command": "startEngagement", "body": {"engagementID": "g\#(id)", "companyCode": "c\#(id)", "engineerID": "e\#(id)", "guidanceFields": ["금형"], "goals": ["productivity"], "startDate": "2014-04-01", "programYear": 2014}}"# + "\n"
            for session in 0..<197 {
                text += #"{"command": "logSession", "engagementID": "g\#(id)", "body": {"sessionID": "s\#(session)", "date": "2014-05-10", "hours": 2.5, "topic": "냉각 채널 검토 \#(session)", "format": "onSite", "attendees": 2}}"# + "\n"
            }
        }
        return Array(text.utf8)
    }

    /// Imports `body`; returns the trial and the positions it recorded.
    static func run(_ bench: BenchEnvironment, _ daemon: DaemonUnderTest, body: [UInt8]) async throws -> (TrialResult, ClosedRange<Int64>) {
        var positions: ClosedRange<Int64>?
        let result = try await measure(bench, daemon: daemon.pid) {
            let reply = try await ShidoConnection.withConnection(socketPath: daemon.socket) { connection in
                try await connection.send(.POST, "/v1/import", contentType: "application/x-ndjson", body: body)
            }
            guard reply.status == 200 || reply.status == 201,
                  let summary = try? JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any],
                  let first = (summary["firstPosition"] as? NSNumber)?.int64Value, let last = (summary["lastPosition"] as? NSNumber)?.int64Value
            else { throw BenchFailure("import answered \(reply.status): \(String(decoding: reply.body.prefix(500), as: UTF8.self))") }
            positions = first...last
            return Int(last - first + 1)
        }
        return (result, positions!)
    }
}
