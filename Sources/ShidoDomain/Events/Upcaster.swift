import ShidoJSON

/// Lifts stored event data of an older schema version to the current one, step by step.
///
/// Guarantees: pure; each step changes one version to the next; data already at the current
/// version passes through unchanged; a version newer than this build knows is refused.
public enum Upcaster {
    public static func upcast(type: String, schemaVersion: Int, data: JSONValue) throws(DecodingProblem) -> JSONValue {
        guard let current = DomainEvent.currentSchemaVersions[type] else {
            throw DecodingProblem(pointer: "", message: "unknown event type '\(type)'")
        }
        guard (1...current).contains(schemaVersion) else {
            throw DecodingProblem(pointer: "", message: "\(type) schema version \(schemaVersion) is not known to this build (current: \(current))")
        }
        var data = data
        var version = schemaVersion
        while version < current {
            data = try step(type: type, from: version, data)
            version += 1
        }
        return data
    }

    private static func step(type: String, from version: Int, _ data: JSONValue) throws(DecodingProblem) -> JSONValue {
        switch (type, version) {
        case ("EngagementStarted", 1): return try engagementStartedV1toV2(data)
        default: throw DecodingProblem(pointer: "", message: "no upcast from \(type) v\(version)")
        }
    }

    /// v1 recorded one goal (`"goal": "newProduct"`); v2 records a list (`"goals": ["newProduct"]`).
    static func engagementStartedV1toV2(_ data: JSONValue) throws(DecodingProblem) -> JSONValue {
        guard var members = data.objectValue else { throw DecodingProblem(pointer: "", message: "expected an object") }
        guard let goal = members.removeValue(forKey: "goal") else {
            throw DecodingProblem(pointer: "/goal", message: "required field is missing (EngagementStarted v1)")
        }
        members["goals"] = .array([goal])
        return .object(members)
    }
}
