import ArgumentParser
import ShidoJSON

struct CorrectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correct",
        abstract: "Correct a session, outcome or trade flow: a new event that supersedes its content.",
        discussion: """
            Name the entry by its own id (--engagement with --session, --outcome or --trade) or \
            by the event id that recorded it. The entry's content in force (as its latest correction \
            left it, else as first recorded) is read from the log and each --set changes one field (a dotted path for nested fields; the value is read \
            as JSON when it parses, else as text). The original stays in the log; the correction \
            points at it.
            Examples: shido correct --engagement case-j --session s1 --reason '시간 오기' --set hours=3
                      shido correct 3f1c9a2e-0d7b-4c55-9a61-2b8e7f4d1c90 --reason '수치 정정' --set metric.after=880
            """)

    @Argument(help: "The event id of the entry (from its receipt or `shido audit stream`), if not named by --engagement and its own id.")
    var eventID: String?
    @OptionGroup var entry: EntryOptions
    @Option(help: "Why it is corrected.") var reason: String
    @Option(name: .customLong("set"), help: ArgumentHelp("field=value; repeat for several.", valueName: "field=value")) var changes: [String] = []
    @OptionGroup var options: RecordOptions

    func validate() throws {
        guard !changes.isEmpty else { throw ValidationError("give at least one --set field=value") }
        try entry.validate(eventID: eventID)
    }

    func run() async throws {
        try await Daemon.run {
            let daemon = Daemon(socketPath: options.connection.socketPath)
            let (kind, original) = try await entry.recorded(eventID: eventID, daemon: daemon)
            var content = original
            for change in changes { content = try Self.apply(change, to: content) }
            var body = entry.reference(eventID: eventID, member: "correctedEventID")
            body["reason"] = .string(reason)
            body[kind.rawValue] = content
            try await options.record("/v1/corrections", body)
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
        discussion: """
            Name the entry by its own id (--engagement with --session, --outcome or --trade) or \
            by the event id that recorded it.
            Examples: shido retract --engagement case-j --session s1 --reason '중복 입력'
                      shido retract 3f1c9a2e-0d7b-4c55-9a61-2b8e7f4d1c90 --reason '중복 입력'
            """)

    @Argument(help: "The event id of the entry, if not named by --engagement and its own id.") var eventID: String?
    @OptionGroup var entry: EntryOptions
    @Option(help: "Why it is retracted.") var reason: String
    @OptionGroup var options: RecordOptions

    func validate() throws { try entry.validate(eventID: eventID) }

    func run() async throws {
        var body = entry.reference(eventID: eventID, member: "retractedEventID")
        body["reason"] = .string(reason)
        try await options.record("/v1/retractions", body)
    }
}

/// How a correction or retraction names its entry: `--engagement` with the entry's own id,
/// or the event id argument.
struct EntryOptions: ParsableArguments {
    enum Kind: String { case session, outcome, trade }

    @Option(help: ArgumentHelp("The engagement the entry belongs to (with --session, --outcome or --trade).", valueName: "id"))
    var engagement: String?
    @Option(help: ArgumentHelp("The session's id.", valueName: "id")) var session: String?
    @Option(help: ArgumentHelp("The outcome's id.", valueName: "id")) var outcome: String?
    @Option(help: ArgumentHelp("The trade flow's id.", valueName: "id")) var trade: String?

    private var named: [(Kind, String)] {
        [(Kind.session, session), (.outcome, outcome), (.trade, trade)].compactMap { kind, id in id.map { (kind, $0) } }
    }

    func validate(eventID: String?) throws {
        switch (eventID, engagement, named.count) {
        case (.some, nil, 0): return
        case (nil, .some, 1): return
        case (.some, _, _): throw ValidationError("give the event id, or --engagement with one of --session, --outcome, --trade: not both")
        default: throw ValidationError("name the entry: --engagement ID with exactly one of --session, --outcome, --trade (or its event id)")
        }
    }

    /// The body members that name the entry.
    func reference(eventID: String?, member: String) -> [String: JSONValue?] {
        if let eventID { return [member: .string(eventID)] }
        let (kind, id) = named[0]
        return ["engagementID": .string(engagement ?? ""), kind.rawValue + "ID": .string(id)]
    }

    /// The entry's kind and its content in force: as first recorded, or as its latest
    /// correction set it (so a second correction starts from the first one's result).
    func recorded(eventID: String?, daemon: Daemon) async throws -> (Kind, JSONValue) {
        let kinds: [String: Kind] = ["GuidanceSessionLogged": .session, "OutcomeReported": .outcome, "ExportRecorded": .trade]
        var streamID = "engagement-" + (engagement ?? "")
        if let eventID {
            let found = try await daemon.call(.GET, "/v1/events?id=\(Field.segment(eventID))&limit=1")
            guard let event = found["events"]?.arrayValue?.first else {
                throw Failure(message: "no event with id \(eventID) is recorded", code: Exit.rejected)
            }
            guard kinds[event[path: "type"].cell] != nil else {
                throw Failure(message: "event \(eventID) is a \(event[path: "type"].cell); only sessions, outcomes and trade flows can be corrected", code: Exit.rejected)
            }
            streamID = event[path: "stream"].cell
        }
        let events = try await daemon.call(.GET, "/v1/streams/\(Field.segment(streamID))?limit=10000")["events"]?.arrayValue ?? []
        let original = events.first { event in
            guard let kind = kinds[event[path: "type"].cell] else { return false }
            if let eventID { return event[path: "id"].cell == eventID.lowercased() }
            return kind == named[0].0 && event[path: "data", kind.rawValue + "ID"].cell == named[0].1
        }
        guard let original, let kind = kinds[original[path: "type"].cell] else {
            throw Failure(message: "engagement \(engagement ?? "") has no \(named[0].0.rawValue) \(named[0].1)", code: Exit.rejected)
        }
        let latest = events.last { $0[path: "type"].cell == "EntryCorrected" && $0[path: "data", "correctedEventID"].cell == original[path: "id"].cell }
        return (kind, latest?[path: "data", kind.rawValue] ?? original[path: "data"])
    }
}
