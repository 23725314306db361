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
        guard Self.mediaType(of: given, is: expected) else {
            throw Problem(.unsupportedMediaType, detail: "send Content-Type: \(expected) (got '\(given.isEmpty ? "none" : given)')")
        }
    }

    /// Whether a Content-Type's media type (before any parameters, spaces and tabs trimmed,
    /// ASCII case ignored) is `expected` (lower case): compared byte by byte, as the check runs
    /// on every request.
    static func mediaType(of header: String, is expected: String) -> Bool {
        var bytes = header.utf8[...]
        if let semicolon = bytes.firstIndex(of: UInt8(ascii: ";")) { bytes = bytes[..<semicolon] }
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        while let first = bytes.first, isSpace(first) { bytes = bytes.dropFirst() }
        while let last = bytes.last, isSpace(last) { bytes = bytes.dropLast() }
        let lowered = bytes.lazy.map { UInt8(ascii: "A")...UInt8(ascii: "Z") ~= $0 ? $0 | 0x20 : $0 }
        return lowered.elementsEqual(expected.utf8)
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
