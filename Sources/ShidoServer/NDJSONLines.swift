#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import ShidoAPI

/// Splits a streamed body into lines without holding more than one partial line.
struct NDJSONLines {
    private var partial: [UInt8] = []
    /// The longest line accepted; a longer one is refused as soon as it is seen.
    let maxLineBytes: Int

    init(maxLineBytes: Int = .max) { self.maxLineBytes = maxLineBytes }

    /// Whether the line being collected is already longer than allowed.
    var partialIsTooLong: Bool { partial.count > maxLineBytes }

    /// The complete lines in `buffer` (without their newline), after any partial line held.
    mutating func feed(_ buffer: ByteBuffer) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        buffer.withUnsafeReadableBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            var start = 0
            while start < bytes.count, let hit = memchr(base + start, Int32(UInt8(ascii: "\n")), bytes.count - start) {
                let end = base.distance(to: UnsafeRawPointer(hit))
                partial.append(contentsOf: bytes[start..<end])
                lines.append(partial)
                partial.removeAll(keepingCapacity: true)
                start = end + 1
            }
            partial.append(contentsOf: bytes[start...])
        }
        return lines
    }

    /// The last line, when the body did not end with a newline.
    mutating func finish() -> [UInt8]? {
        defer { partial = [] }
        return partial.isEmpty ? nil : partial
    }

    static func isBlank(_ line: [UInt8]) -> Bool {
        line.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
    }
}

extension RequestBodyLines {
    /// Every line of a streamed body, numbered from 1, blank lines skipped; the body may
    /// not exceed `limit` bytes.
    /// not exceed `limit` bytes, nor one line `maxLineBytes` (refused at once, naming the line).
    static func forEach(
        in body: some AsyncSequence<ByteBuffer, any Error>, limit: Int, maxLineBytes: Int = .max, _ visit: (Int, [UInt8]) async throws -> Void
    ) async throws {
        var splitter = NDJSONLines(maxLineBytes: maxLineBytes)
        var number = 0
        var bytes = 0
        func tooLong(_ line: Int) -> Problem {
            Problem(.payloadTooLarge, detail: "line \(line) is longer than \(maxLineBytes) bytes, the most one line may hold", line: line)
        }
        for try await buffer in body {
            bytes += buffer.readableBytes
            if bytes > limit { throw Problem(.payloadTooLarge, detail: "the body exceeds the limit of \(limit) bytes") }
            for line in splitter.feed(buffer) {
                number += 1
                if line.count > maxLineBytes { throw tooLong(number) }
                if !NDJSONLines.isBlank(line) { try await visit(number, line) }
            }
            if splitter.partialIsTooLong { throw tooLong(number + 1) }
        }
        if let last = splitter.finish() {
            number += 1
            if !NDJSONLines.isBlank(last) { try await visit(number, last) }
        }
    }
}

enum RequestBodyLines {}
