import Foundation
import Logging
import ShidoJSON

/// How the daemon writes its log to standard error.
enum LogFormat: String {
    /// swift-log's line per entry.
    case text
    /// One JSON object per line (`JSONLogHandler`).
    case json
}

/// Writes each log entry as one JSON object on one line of standard error, for journald and
/// log shippers: `time` (RFC 3339 UTC, microseconds), `level`, `label`, `message`, `source`,
/// and the entry's metadata as members of `metadata`.
///
/// Guarantees: every line is a complete JSON object (newlines and control characters in the
/// message are escaped), written with one `write` so concurrent entries never interleave.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let line = Self.line(time: Date(), level: event.level, label: label, message: "\(event.message)", source: event.source, metadata: merged)
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { _ = writeAll(STDERR_FILENO, $0) }
    }

    static func line(time: Date, level: Logger.Level, label: String, message: String, source: String, metadata: Logger.Metadata) -> String {
        var object: [String: JSONValue] = [
            "time": .string(timestamp(time)), "level": .string(level.rawValue), "label": .string(label),
            "message": .string(message), "source": .string(source),
        ]
        if !metadata.isEmpty { object["metadata"] = .object(metadata.mapValues(json)) }
        return JSONValue.object(object).canonicalText
    }

    private static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let value): .string(value.description)
        case .array(let values): .array(values.map(json))
        case .dictionary(let values): .object(values.mapValues(json))
        }
    }

    private static func timestamp(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        var time = time_t(micros / 1_000_000)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec, micros % 1_000_000)
    }
}

/// Writes all of `bytes` to `descriptor`, retrying short writes; false if it failed.
private func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
    var offset = 0
    while offset < bytes.count {
        let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
        if written < 0 {
            if errno == EINTR { continue }
            return false
        }
        offset += written
    }
    return true
}
