import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ShidoAPI
import ShidoJSON

/// Responses with JSON bodies.
enum JSONResponse {
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        text(value.canonicalText, status: status, contentType: "application/json")
    }

    static func problem(_ problem: Problem) -> Response {
        text(problem.json.canonicalText, status: .init(code: problem.status), contentType: Problem.mediaType)
    }

    static func text(_ text: String, status: HTTPResponse.Status = .ok, contentType: String = "application/json") -> Response {
        var buffer = ByteBuffer()
        buffer.writeString(text)
        buffer.writeString("\n")
        return Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: buffer))
    }
}

/// Reading request bodies: content type, size limit, strict JSON.
///
/// Guarantees: a body of the wrong type is refused with 415, a body over the limit with 413
/// (before it is read in full when Content-Length says so), malformed JSON with 400 naming
/// the JSON pointer where parsing stopped.
struct BodyReader: Sendable {
    let maxBytes: Int

    func json(_ request: Request) async throws -> JSONValue { try await jsonAndBytes(request).json }

    /// The parsed body and the bytes it was parsed from (an idempotency key names those bytes).
    func jsonAndBytes(_ request: Request) async throws -> (json: JSONValue, bytes: [UInt8]) {
        try requireContentType(request, "application/json")
        let buffer = try await collect(request, limit: maxBytes)
        let bytes = Array(buffer.readableBytesView)
        do {
            return (try JSONParser.parse(bytes), bytes)
        } catch {
            throw Problem(.badRequest, detail: "the body is not valid JSON: \(error.message)", field: error.pointer)
        }
    }

    func requireContentType(_ request: Request, _ expected: String) throws {
        let given = request.headers[.contentType] ?? ""
        let mediaType = given.split(separator: ";", maxSplits: 1).first.map { Self.trimmingSpaces($0).lowercased() } ?? ""
        guard mediaType == expected else {
            throw Problem(.unsupportedMediaType, detail: "send Content-Type: \(expected) (got '\(given.isEmpty ? "none" : given)')")
        }
    }

    /// Without Foundation's character sets, which cost more than the rest of the check.
    private static func trimmingSpaces(_ text: Substring) -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) }) else { return "" }
        return text[first...last]
    }

    func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw Problem(.payloadTooLarge, detail: "the body has \(length) bytes; the limit is \(limit)")
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw Problem(.payloadTooLarge, detail: "the body exceeds the limit of \(limit) bytes")
        }
    }
}

extension HTTPField.Name {
    /// The IETF httpapi draft "The Idempotency-Key HTTP Header Field".
    static let idempotencyKey = Self("Idempotency-Key")!
}
