import CommandHandling
import EventStore
import Hummingbird
import NIOCore
import ShidoAPI
import ShidoDomain
import ShidoJSON

extension API {
    /// Records NDJSON commands as the caller, all or nothing (see `CommandHandler.importAll`):
    /// every line is read, checked and decided first; a refused line answers its problem
    /// with its line number and nothing of the body is recorded. A re-run records only what
    /// is missing. One line may hold at most the JSON body limit.
    func importCommands(_ request: Request, _ caller: AuthorizedCaller) async throws -> Response {
        try body.requireContentType(request, "application/x-ndjson")
        let who = Caller(uid: caller.uid, user: caller.user)
        var digest = RequestDigest(method: request.method.rawValue, target: request.uri.description)
        var received: [ReceivedLine] = []
        var count = 0
        do {
            try await RequestBodyLines.forEach(in: request.body, limit: bulkLimit, maxLineBytes: body.maxBytes) { number, bytes in
                digest.update(bytes)
                digest.update([UInt8(ascii: "\n")])
                count = number
                received.append(ReceivedLine(number: number, bytes: bytes))
            }
            let lines = try await importLines(received)
            let summary = try await handler.importAll(lines, as: who, key: try idempotencyKey(request, caller, digest: digest))
            written.note(caller.uid, wrote: summary.lastPosition)
            return JSONResponse.json([
                "lines": .number(JSONNumber(count)), "commands": .number(JSONNumber(summary.commands)),
                "unchanged": .number(JSONNumber(summary.unchanged)), "events": .number(JSONNumber(summary.events)),
                "firstPosition": summary.firstPosition.map { number($0) } ?? .null,
                "lastPosition": summary.lastPosition.map { number($0) } ?? .null,
            ])
        } catch let error as ImportError {
            var problem = ProblemMapping.problem(for: error)
            if let rejection = (error.underlying as? HandlingError).flatMap(\.rejection) {
                problem.field = "/body" + rejection.field
            }
            problem.detail = (problem.detail ?? "") + "; nothing of the import was recorded"
            throw problem
        } catch var problem as Problem {
            problem.detail = (problem.detail ?? "") + "; nothing of the import was recorded"
            throw problem
        }
    }

    /// Every line as a command, in order: parsed in slices side by side (each line stands
    /// alone until it is decided); a refusal is the first refused line's.
    private func importLines(_ received: [ReceivedLine]) async throws -> [ImportLine] {
        try await received.mapInSlices(minimumSlice: 1_000) { line in try await importLine(line.bytes, number: line.number) }
    }

    /// A line of the body as it came, with its number in the file.
    struct ReceivedLine: Sendable {
        let number: Int
        let bytes: [UInt8]
    }

    /// One line as a command; corrections and retractions name their entry by event id or
    /// by the entry's own id (see `EntryTarget`).
    private func importLine(_ bytes: [UInt8], number: Int) async throws -> ImportLine {
        let (kind, engagement, payload) = try ImportLineFormat.parse(bytes, line: number)
        var engagementID = engagement
        var json = payload
        if kind == .correctEntry || kind == .retractEntry {
            do {
                let target = try await EntryTarget.resolve(
                    payload, member: kind == .correctEntry ? "correctedEventID" : "retractedEventID", engagement: engagement,
                    handler: handler, prefix: "/body")
                (engagementID, json) = (target.engagement, target.body)
            } catch {
                throw ImportError(line: number, underlying: error)
            }
        }
        do throws(Rejection) {
            return ImportLine(line: number, command: try CommandDecoding.decode(kind, engagementID: engagementID, body: json))
        } catch {
            throw ImportError(line: number, underlying: Rejection(error.rule, at: "/body" + error.field, error.message))
        }
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

    static let restoreBatchSize = 5_000

    /// Restores a dump into an empty store, all or nothing, streaming: each line is parsed
    /// and each batch checked against the hash chain as it arrives and copied into one open
    /// transaction, committed once at the end; memory holds one batch. Into a store that
    /// already holds exactly this dump (a retry after a lost answer), it answers as the
    /// first time; into any other non-empty store, 409.
    func restore(_ request: Request) async throws -> Response {
        try body.requireContentType(request, "application/x-ndjson")
        let session = try await store.beginRestore()
        let start = session.headAtStart
        if start.position > 0 {
            await session.abort()
            return try await answerRestoreRetry(request, head: start)
        }
        var batch: [RecordedEvent] = []
        var lineOf: [Int64: Int] = [:]
        do {
            try await RequestBodyLines.forEach(in: request.body, limit: .max, maxLineBytes: body.maxBytes) { number, bytes in
                do throws(Problem) {
                    let event = try EventJSON.parse(bytes)
                    batch.append(event)
                    lineOf[event.position] = lineOf[event.position] ?? number
                } catch {
                    var problem = error
                    problem.line = number
                    throw problem
                }
                if batch.count >= Self.restoreBatchSize { try await flush(&batch, &lineOf, into: session) }
            }
            try await flush(&batch, &lineOf, into: session)
            let head = try await session.commit()
            return JSONResponse.json(["restored": number(head.position), "head": headJSON(head)])
        } catch {
            await session.abort()
            throw error
        }
    }

    private func flush(_ batch: inout [RecordedEvent], _ lineOf: inout [Int64: Int], into session: RestoreSession) async throws {
        defer { batch.removeAll(keepingCapacity: true); lineOf.removeAll(keepingCapacity: true) }
        do { try await session.append(batch) } catch EventStoreError.chainBroken(let broken) {
            let line = lineOf[broken.position] ?? batch.first { $0.position > broken.position }.flatMap { lineOf[$0.position] }
            throw Problem(.rejected, detail: "the dump does not continue the hash chain at \(broken); nothing was restored", line: line)
        }
    }

    /// A restore into a store that is not empty: the answer of the first restore when the
    /// store's head is this dump's last event, else 409.
    private func answerRestoreRetry(_ request: Request, head: LogHead) async throws -> Response {
        // The body is this store's content exactly when its own chain is intact and ends at
        // the store's head (the hashes chain, so they cannot agree otherwise).
        var verifier = ChainVerifier(start: 1)
        var intact = true
        try await RequestBodyLines.forEach(in: request.body, limit: .max, maxLineBytes: body.maxBytes) { _, bytes in
            guard intact, let event = try? EventJSON.parse(bytes) else { intact = false; return }
            verifier.check([event])
            intact = verifier.firstBreak == nil
        }
        if intact, verifier.expectedPosition - 1 == head.position, verifier.lastHash == head.hash {
            return JSONResponse.json(["restored": number(head.position), "head": headJSON(head)])
        }
        throw Problem(.conflict, detail: "restore writes into an empty store only; this one already holds \(head.position) events")
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
