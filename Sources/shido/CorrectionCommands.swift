import ArgumentParser
import ShidoJSON

struct CorrectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correct",
        abstract: "Correct a session, outcome or trade flow: a new event that supersedes its content.",
        discussion: """
            The entry's current content is read from the log and each --set changes one field \
            (a dotted path for nested fields; the value is read as JSON when it parses, else as text). \
            The original stays in the log; the correction points at it.
            Example: shido correct 3f1c9a2e-0d7b-4c55-9a61-2b8e7f4d1c90 --reason '시간 오기' --set hours=3 --set metric.after=880
            """)

    @Argument(help: "The event id of the entry to correct (from its receipt or `shido audit stream`).") var eventID: String
    @Option(help: "Why it is corrected.") var reason: String
    @Option(name: .customLong("set"), help: ArgumentHelp("field=value; repeat for several.", valueName: "field=value")) var changes: [String] = []
    @OptionGroup var options: RecordOptions

    func run() async throws {
        guard !changes.isEmpty else { throw ValidationError("give at least one --set field=value") }
        try await Daemon.run {
            let daemon = Daemon(socketPath: options.connection.socketPath)
            let found = try await daemon.call(.GET, "/v1/events?id=\(Field.segment(eventID))&limit=1")
            guard let event = found["events"]?.arrayValue?.first else {
                throw Failure(message: "no event with id \(eventID) is recorded", code: Exit.rejected)
            }
            let keys = ["GuidanceSessionLogged": "session", "OutcomeReported": "outcome", "ExportRecorded": "trade"]
            guard let key = keys[event[path: "type"].cell] else {
                throw Failure(message: "event \(eventID) is a \(event[path: "type"].cell); only sessions, outcomes and trade flows can be corrected", code: Exit.rejected)
            }
            var content = event[path: "data"]
            for change in changes { content = try Self.apply(change, to: content) }
            try await options.record("/v1/corrections", ["correctedEventID": .string(eventID), "reason": .string(reason), key: content])
        }
    }

    static func apply(_ change: String, to value: JSONValue) throws -> JSONValue {
        let parts = change.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty else { throw Failure(message: "--set '\(change)' must be field=value", code: Exit.usage) }
        let newValue = (try? JSONParser.parse(parts[1])) ?? .string(parts[1])
        return set(parts[0].split(separator: ".").map(String.init)[...], newValue, in: value)
    }

    private static func set(_ path: ArraySlice<String>, _ newValue: JSONValue, in value: JSONValue) -> JSONValue {
        guard let key = path.first else { return newValue }
        var members = value.objectValue ?? [:]
        members[key] = set(path.dropFirst(), newValue, in: members[key] ?? [:])
        return .object(members)
    }
}

struct RetractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retract",
        abstract: "Retract a session, outcome or trade flow: it stays in the log but counts nowhere.",
        discussion: "Example: shido retract 3f1c9a2e-0d7b-4c55-9a61-2b8e7f4d1c90 --reason '중복 입력'")

    @Argument(help: "The event id of the entry to retract.") var eventID: String
    @Option(help: "Why it is retracted.") var reason: String
    @OptionGroup var options: RecordOptions

    func run() async throws {
        try await options.record("/v1/retractions", ["retractedEventID": .string(eventID), "reason": .string(reason)])
    }
}
