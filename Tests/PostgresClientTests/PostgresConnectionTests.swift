import Foundation
import PostgresClient
import Testing
import TestSupport

@Suite("The libpq wrapper")
struct PostgresConnectionTests {
    static func connect() throws -> PostgresConnection {
        try PostgresConnection(TestCluster.shared().connectionSettings())
    }

    @Test("typed reads: text, int, bigint, bool, bytea, timestamptz, jsonb bytes, NULL")
    func typedReads() throws {
        let connection = try Self.connect()
        defer { connection.close() }
        let result = try connection.execute("""
            SELECT $1::text, $2::int, $3::bigint, $4::bool, $5::bytea, '2026-11-25 03:33:00.123456+09'::timestamptz,
                   '{"b": 1, "a": "한"}'::jsonb, NULL::text
            """, ["金型 \"x\"", 42, Int64.max, true, ByteaParameter([0, 255, 16])])
        #expect(try result.string(0, 0) == "金型 \"x\"")
        #expect(try result.int(0, 1) == 42)
        #expect(try result.int64(0, 2) == Int64.max)
        #expect(try result.bool(0, 3))
        #expect(try result.bytea(0, 4) == [0, 255, 16])
        #expect(PostgresTimestamp.iso8601UTC(micros: try result.timestampMicros(0, 5)) == "2026-11-24T18:33:00.123456Z")
        #expect(String(decoding: try result.jsonBytes(0, 6), as: UTF8.self) == #"{"a": "한", "b": 1}"#)
        #expect(result.isNull(0, 7))
        #expect(throws: PostgresError.self) { try result.string(0, 7) }
        #expect(throws: PostgresError.self) { try result.int(0, 0) }
    }

    @Test("forgotten prepared statements are prepared and planned afresh on their next use")
    func forgetPreparedStatements() throws {
        let connection = try Self.connect()
        defer { connection.close() }
        let prepared = "SELECT count(*) FROM pg_prepared_statements"
        #expect(try connection.executeCached("SELECT $1::int + 1", [41]).int(0, 0) == 42)
        _ = try connection.pipeline([PipelineStatement("SELECT $1::int * 2", [21])])
        #expect(try connection.execute(prepared).int(0, 0) == 2)
        try connection.forgetPreparedStatements()
        #expect(try connection.execute(prepared).int(0, 0) == 0)
        #expect(try connection.executeCached("SELECT $1::int + 1", [1]).int(0, 0) == 2)
        #expect(try connection.pipeline([PipelineStatement("SELECT $1::int * 2", [4])])[0].int(0, 0) == 8)
        #expect(try connection.execute(prepared).int(0, 0) == 2)
    }

    @Test("a pipelined statement is prepared after the statements before it: it sees the search_path they set")
    func pipelinePreparesInOrder() throws {
        let connection = try Self.connect()
        defer { connection.close() }
        let schema = "pipeline_order_\(UInt32.random(in: 0...UInt32.max))"
        try connection.executeScript(StaticOrTrustedSQL(trusted: "CREATE SCHEMA \(schema); CREATE TABLE \(schema).only_here (x int); INSERT INTO \(schema).only_here VALUES (7)"))
        defer { _ = try? connection.executeScript(StaticOrTrustedSQL(trusted: "DROP SCHEMA \(schema) CASCADE")) }
        let results = try connection.pipeline([
            PipelineStatement("BEGIN"),
            PipelineStatement("SELECT set_config('search_path', $1, true)", [schema]),
            PipelineStatement("SELECT x FROM only_here"),
            PipelineStatement("ROLLBACK"),
        ])
        #expect(try results[2].int(0, 0) == 7)
        #expect(!connection.isInTransaction)
        // A failed statement leaves the transaction open and failed, and the connection usable.
        #expect(throws: PostgresError.self) {
            try connection.pipeline([PipelineStatement("BEGIN"), PipelineStatement("SELECT x FROM only_here"), PipelineStatement("ROLLBACK")])
        }
        #expect(connection.isInTransaction)
        try connection.execute("ROLLBACK")
        #expect(try connection.pipeline([PipelineStatement("SELECT $1::int * 3", [5])])[0].int(0, 0) == 15)
    }

    @Test("a value is only ever a parameter: quotes and semicolons stay data")
    func parametersAreNotSQL() throws {
        let connection = try Self.connect()
        defer { connection.close() }
        let hostile = "x'); DROP TABLE pg_class; --"
        #expect(try connection.execute("SELECT $1::text", [hostile]).string(0, 0) == hostile)
        let array = try connection.execute("SELECT $1::text[]", [ArrayParameter(["a,b", "c\"d", "e\\f", "{}"])])
        #expect(try array.string(0, 0) == #"{"a,b","c\"d","e\\f","{}"}"#)
    }

    @Test("server errors carry SQLSTATE, message, detail and hint")
    func serverErrors() throws {
        let connection = try Self.connect()
        defer { connection.close() }
        #expect {
            try connection.execute("SELECT 1/0")
        } throws: { error in
            let error = error as? PostgresError
            return error?.sqlState?.rawValue == "22012" && error?.kind == .server && error?.isConnectionFailure == false
        }
        // The session is usable after an error.
        #expect(try connection.execute("SELECT 2").int(0, 0) == 2)
    }

    @Test("an unreachable server is a connection failure")
    func unreachable() {
        #expect {
            try PostgresConnection(ConnectionSettings(overrides: ["host": "/nonexistent", "connect_timeout": "1"]))
        } throws: { error in
            (error as? PostgresError)?.isConnectionFailure == true
        }
    }

    @Test("COPY FROM STDIN carries tabs, newlines, backslashes, NULL and wide text exactly")
    func copyIn() throws {
        let connection = try Self.connect()
        defer { connection.close() }
        try connection.execute("CREATE TEMP TABLE copy_test (n int, t text)")
        let values: [String?] = ["a\tb", "line\nbreak\r", "back\\slash", nil, "한국 日本"]
        let loaded = try connection.copyIn("COPY copy_test (n, t) FROM STDIN") { writer in
            for (index, value) in values.enumerated() { try writer.appendRow([String(index), value]) }
        }
        #expect(loaded == values.count)
        let result = try connection.execute("SELECT t FROM copy_test ORDER BY n")
        #expect((0..<result.rowCount).map { result.text($0, 0) } == values)
    }

    @Test("transactions roll back when the body throws")
    func transactionRollback() throws {
        let connection = try Self.connect()
        defer { connection.close() }
        try connection.execute("CREATE TEMP TABLE tx_test (n int)")
        #expect(throws: PostgresError.self) {
            try connection.transaction {
                try connection.execute("INSERT INTO tx_test VALUES (1)")
                try connection.execute("SELECT 1/0")
            }
        }
        #expect(try connection.execute("SELECT count(*) FROM tx_test").int(0, 0) == 0)
    }

    @Test("prepared statements and NOTICE handling (never on stderr)")
    func preparedAndNotices() throws {
        let connection = try Self.connect()
        defer { connection.close() }
        let notices = Locked<[String]>([])
        connection.noticeHandler = { notice in notices.withLock { $0.append(notice) } }
        try connection.prepare("double", "SELECT $1::int * 2")
        #expect(try connection.executePrepared("double", [21]).int(0, 0) == 42)
        try connection.execute("DO $$ BEGIN RAISE NOTICE 'hello %', 'notice'; END $$")
        #expect(notices.value.contains { $0.contains("hello notice") })
    }

    @Test("timestamps convert both ways", arguments: [
        ("1970-01-01 00:00:00+00", Int64(0)), ("2026-11-25 03:33:00.5+00", Int64(1_795_577_580_500_000)),
        ("1969-12-31 23:59:59.999999+00", Int64(-1)), ("2000-02-29T12:00:00Z", Int64(951_825_600_000_000)),
    ])
    func timestamps(text: String, micros: Int64) {
        #expect(PostgresTimestamp.parseMicros(text) == micros)
        #expect(PostgresTimestamp.parseMicros(PostgresTimestamp.iso8601UTC(micros: micros)) == micros)
    }
}

@Suite("UUID text")
struct UUIDTextTests {
    @Test("lowercaseText equals Foundation's form, lower-cased", arguments: 0..<50)
    func matchesFoundation(_: Int) {
        let id = UUID()
        #expect(id.lowercaseText == id.uuidString.lowercased())
    }
}

@Suite("Binary COPY")
struct BinaryCopyTests {
    @Test("bigint, int, uuid, text, jsonb, timestamptz, bytea and NULL arrive exactly")
    func roundTrip() throws {
        let connection = try PostgresConnectionTests.connect()
        defer { connection.close() }
        try connection.execute("""
            CREATE TEMP TABLE binary_test (b bigint, i int, u uuid, t text, j jsonb, ts timestamptz, raw bytea, maybe text)
            """)
        let id = UUID()
        let micros: Int64 = 1_795_577_580_123_456
        let loaded = try connection.copyInBinary("COPY binary_test FROM STDIN (FORMAT binary)") { writer in
            try writer.beginRow(fieldCount: 8)
            writer.int64(-9_000_000_000)
            writer.int32(42)
            writer.uuid(id)
            writer.text("한국 日本 \t\n\\")
            writer.jsonb(#"{"a": "金型", "b": [1, 2.50]}"#)
            writer.timestamp(micros: micros)
            writer.bytea([0, 255, 10, 13, 92])
            writer.null()
        }
        #expect(loaded == 1)
        let row = try connection.execute("SELECT b, i, u, t, j::text, ts, raw, maybe FROM binary_test")
        #expect(try row.int64(0, 0) == -9_000_000_000)
        #expect(try row.int(0, 1) == 42)
        #expect(try row.string(0, 2) == id.lowercaseText)
        #expect(try row.string(0, 3) == "한국 日本 \t\n\\")
        #expect(try row.string(0, 4) == #"{"a": "金型", "b": [1, 2.50]}"#)
        #expect(try row.timestampMicros(0, 5) == micros)
        #expect(try row.bytea(0, 6) == [0, 255, 10, 13, 92])
        #expect(row.isNull(0, 7))
    }

    @Test("binary array parameters of every element type arrive exactly, empty ones too; a wrong element type is refused")
    func binaryArrays() throws {
        let connection = try PostgresConnectionTests.connect()
        defer { connection.close() }
        let ids = [UUID(), UUID()]
        let micros: [Int64] = [1_795_577_580_123_456, 0]
        let parameters: [any PostgresParameterEncodable] = [
            BinaryArrayParameter(.int8, [Int64.min, 7]) { $0.int64($1) },
            BinaryArrayParameter(.int4, [Int32(-1), 42]) { $0.int32($1) },
            BinaryArrayParameter(.uuid, ids) { $0.uuid($1) },
            BinaryArrayParameter(.text, ["한국 日本 \t\n\\\"{,}", ""]) { $0.text($1) },
            BinaryArrayParameter(.jsonb, [#"{"a": "金型", "b": [1, 2.50]}"#, "null"]) { $0.jsonb($1) },
            BinaryArrayParameter(.timestamptz, micros) { $0.timestamp(micros: $1) },
            BinaryArrayParameter(.bytea, [[0, 255, 10], []]) { $0.bytea($1) },
        ]
        let sql = """
            SELECT b, i, u::text, t, j::text, ts, raw FROM unnest($1::bigint[], $2::int[], $3::uuid[], $4::text[], $5::jsonb[],
                $6::timestamptz[], $7::bytea[]) WITH ORDINALITY AS r(b, i, u, t, j, ts, raw, n) ORDER BY n
            """
        for rows in [try connection.executeCached(sql, parameters), try connection.pipeline([PipelineStatement(sql, parameters)])[0]] {
            #expect(rows.rowCount == 2)
            #expect(try rows.int64(0, 0) == Int64.min && rows.int64(1, 0) == 7)
            #expect(try rows.int(0, 1) == -1 && rows.int(1, 1) == 42)
            #expect(try rows.string(0, 2) == ids[0].lowercaseText && rows.string(1, 2) == ids[1].lowercaseText)
            #expect(try rows.string(0, 3) == "한국 日本 \t\n\\\"{,}" && rows.string(1, 3) == "")
            #expect(try rows.string(0, 4) == #"{"a": "金型", "b": [1, 2.50]}"# && rows.string(1, 4) == "null")
            #expect(try rows.timestampMicros(0, 5) == micros[0] && rows.timestampMicros(1, 5) == 0)
            #expect(try rows.bytea(0, 6) == [0, 255, 10] && rows.bytea(1, 6) == [])
        }
        let empty = try connection.execute("SELECT cardinality($1::bigint[])", [BinaryArrayParameter(.int8, [Int64]()) { $0.int64($1) }])
        #expect(try empty.int(0, 0) == 0)
        #expect(throws: PostgresError.self) {
            try connection.execute("SELECT $1::bigint[]", [BinaryArrayParameter(.int4, [Int32(1)]) { $0.int32($1) }])
        }
    }

    @Test("a binary COPY larger than one chunk arrives whole and in order (rows are sent as they are written)")
    func binaryCopyInChunks() throws {
        let connection = try PostgresConnectionTests.connect()
        defer { connection.close() }
        try connection.execute("CREATE TEMP TABLE chunked_test (n bigint, t text)")
        let padding = String(repeating: "한", count: 100)
        let rows = try connection.copyInBinary("COPY chunked_test FROM STDIN (FORMAT binary)") { writer in
            for n in 1...5_000 {
                try writer.beginRow(fieldCount: 2)
                writer.int64(Int64(n))
                writer.text("\(n) \(padding)")
            }
        }
        #expect(rows == 5_000)
        let check = try connection.execute(
            "SELECT count(*), sum(n), bool_and(t = n || ' ' || repeat('한', 100)), sum(octet_length(t)) FROM chunked_test")
        #expect(try check.int64(0, 0) == 5_000 && check.int64(0, 1) == 12_502_500 && check.bool(0, 2))
        #expect(try check.int64(0, 3) > 1_500_000, "more than one 256 KiB chunk")
    }

    @Test("a statement after the COPY in the same script is run, and its failure is reported")
    func trailingStatements() throws {
        let connection = try PostgresConnectionTests.connect()
        defer { connection.close() }
        try connection.execute("CREATE TEMP TABLE trailing_test (n bigint)")
        #expect(throws: PostgresError.self) {
            try connection.copyInBinary("BEGIN; COPY trailing_test FROM STDIN (FORMAT binary); SELECT 1/0") { writer in
                try writer.beginRow(fieldCount: 1)
                writer.int64(1)
            }
        }
        try connection.execute("ROLLBACK")
        #expect(try connection.execute("SELECT count(*) FROM trailing_test").int(0, 0) == 0)
    }
}
