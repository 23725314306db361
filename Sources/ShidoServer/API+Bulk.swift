import CommandHandling
import EventStore
import Hummingbird
import NIOCore
import ShidoAPI
import ShidoDomain
import ShidoJSON

extension API {
    static let importChunkSize = 1_000

    /// Records NDJSON commands as the caller, in chunks (see `CommandHandler.importChunk`).
    /// A refused line stops the import with its line number; the chunks before it are
    /// recorded, and a re-run after fixing the line records only what is missing.
    func importCommands(_ request: Request, _ caller: AuthorizedCaller) async throws -> Response {
        try body.requireContentType(request, "application/x-ndjson")
        let who = Caller(uid: caller.uid, user: caller.user)
        var chunk: [ImportLine] = []
        var summary = ImportSummary()
        var lines = 0
        func flush() async throws {
            guard !chunk.isEmpty else { return }
            do {
                summary.add(try await handler.importChunk(chunk, as: who))
            } catch let error as ImportError {
                guard case HandlingError.rejected(let rejection)? = error.underlying as? HandlingError else { throw error }
                throw ImportError(line: error.line, underlying: Rejection(rejection.rule, at: "/body" + rejection.field, rejection.message))
            }
            chunk.removeAll(keepingCapacity: true)
        }
        do {
            try await RequestBodyLines.forEach(in: request.body, limit: bulkLimit) { number, bytes in
                lines = number
                let (kind, engagement, payload) = try ImportLineFormat.parse(bytes, line: number)
                var engagementID = engagement
                if kind == .correctEntry || kind == .retractEntry {
                    try await flush()
                    let key = kind == .correctEntry ? "correctedEventID" : "retractedEventID"
                    let entry = payload[key]?.stringValue ?? ""
                    do { engagementID = try await handler.engagement(ofEntry: entry, field: "/body/\(key)") } catch {
                        throw ImportError(line: number, underlying: error)
                    }
                }
                do throws(Rejection) {
                    chunk.append(ImportLine(line: number, command: try CommandDecoding.decode(kind, engagementID: engagementID, body: payload)))
                } catch {
                    throw ImportError(line: number, underlying: Rejection(error.rule, at: "/body" + error.field, error.message))
                }
                if chunk.count >= Self.importChunkSize { try await flush() }
            }
            try await flush()
        } catch {
            var problem = ProblemMapping.problem(for: error)
            problem.detail = (problem.detail ?? "") + "; \(summary.commands) commands before this line were processed (\(summary.events) events recorded)"
            throw problem
        }
        return JSONResponse.json([
            "lines": .number(JSONNumber(lines)), "commands": .number(JSONNumber(summary.commands)),
            "unchanged": .number(JSONNumber(summary.unchanged)), "events": .number(JSONNumber(summary.events)),
            "firstPosition": summary.firstPosition.map { number($0) } ?? .null,
            "lastPosition": summary.lastPosition.map { number($0) } ?? .null,
        ])
    }

    /// Every event, in order, as NDJSON: streamed in batches, so memory stays bounded.
    func dump() -> Response {
        let store = self.store
        let body = ResponseBody { writer in
            var position: Int64 = 1
            while true {
                let batch = try await store.read(from: position, limit: 2_000)
                guard let last = batch.last else { break }
                var buffer = ByteBuffer()
                for event in batch {
                    buffer.writeString(EventJSON.line(event))
                    buffer.writeString("\n")
                }
                try await writer.write(buffer)
                position = last.position + 1
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: body)
    }

    /// Restores a dump into an empty store, all or nothing: every line is parsed and every
    /// link of the hash chain checked before one transaction writes them all.
    func restore(_ request: Request) async throws -> Response {
        try body.requireContentType(request, "application/x-ndjson")
        guard try await store.head().position == 0 else {
            throw Problem(.conflict, detail: "restore writes into an empty store only; this one already holds events")
        }
        var events: [RecordedEvent] = []
        var lineOf: [Int64: Int] = [:]
        try await RequestBodyLines.forEach(in: request.body, limit: .max) { number, bytes in
            do throws(Problem) {
                let event = try EventJSON.parse(bytes)
                events.append(event)
                lineOf[event.position] = lineOf[event.position] ?? number
            } catch {
                var problem = error
                problem.line = number
                throw problem
            }
        }
        do { try await store.restore(events) } catch EventStoreError.chainBroken(let broken) {
            let line = lineOf[broken.position] ?? events.firstIndex { $0.position > broken.position }.map { lineOf[events[$0].position] ?? 0 }
            throw Problem(.rejected, detail: "the dump does not continue the hash chain at \(broken); nothing was restored", line: line)
        }
        let head = try await store.head()
        return JSONResponse.json(["restored": number(head.position), "head": headJSON(head)])
    }
}

/// One line of an import: `{"command": "logSession", "engagementID": "E1", "body": {...}}`.
enum ImportLineFormat {
    static func parse(_ bytes: [UInt8], line: Int) throws -> (CommandKind, EngagementID?, JSONValue) {
        func refuse(_ detail: String, _ field: String) -> ImportError {
            ImportError(line: line, underlying: Rejection(.malformed, at: field, detail))
        }
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch { throw refuse("not valid JSON: \(error.message)", error.pointer) }
        guard let name = value["command"]?.stringValue, let kind = CommandKind(rawValue: name) else {
            let known = CommandKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw refuse("'command' must be one of \(known)", "/command")
        }
        guard let body = value["body"], body.objectValue != nil else { throw refuse("'body' must be an object", "/body") }
        let extra = Set(value.objectValue?.keys.map { $0 } ?? []).subtracting(["command", "engagementID", "body"])
        if let unknown = extra.sorted().first { throw refuse("unknown field '\(unknown)'", "/\(unknown)") }
        var engagement: EngagementID?
        if let text = value["engagementID"] {
            guard let string = text.stringValue, let id = try? EngagementID(string) else { throw refuse("'engagementID' is not a valid engagement id", "/engagementID") }
            engagement = id
        }
        return (kind, engagement, body)
    }
}
