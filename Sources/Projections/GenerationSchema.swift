/// Where one generation of a projection's tables lives: its own schema,
/// `shido_views_<projection>_g<generation>`, so that the projection's and the views' SQL
/// files name tables plainly and run in psql as written once `search_path` points there.
///
/// Guarantees: names are built from a projection's fixed name and an integer only, so
/// substituting them into SQL text can never inject anything.
public struct GenerationSchema: Sendable, Hashable {
    public let projection: String
    public let generation: Int

    public init(projection: String, generation: Int) {
        self.projection = projection
        self.generation = generation
    }

    public var name: String { "\(Self.prefix(of: projection))\(generation)" }

    /// What every generation's schema of `projection` starts with.
    static func prefix(of projection: String) -> String { "shido_views_\(projection)_g" }

    /// `SET LOCAL search_path` to these schemas (the first found first), then `shido`; or
    /// `shido` first, so that a name both define (a generation's own `engagement_facts`,
    /// from the figures it keeps) is shido's shared definition.
    public static func searchPath(_ schemas: [GenerationSchema], sharedFirst: Bool = false) -> String {
        "SET LOCAL search_path = " + searchPathValue(schemas, sharedFirst: sharedFirst)
    }

    /// The value `searchPath` sets, for `set_config('search_path', …)`.
    public static func searchPathValue(_ schemas: [GenerationSchema], sharedFirst: Bool = false) -> String {
        let names = schemas.map(\.name)
        return (sharedFirst ? ["shido"] + names : names + ["shido"]).joined(separator: ", ")
    }
}

/// A stretch of the log a projection applies at once: the events after `after` up to and
/// including `through`, and which of the projection's event types it holds when the runner
/// has looked (so a projection can leave out the steps for types that are absent).
public struct LogRange: Sendable, Hashable, CustomStringConvertible {
    public let after: Int64
    public let through: Int64
    /// The projection's event types present in the range; nil when not known (any may be).
    public let types: Set<String>?

    public init(after: Int64, through: Int64, types: Set<String>? = nil) {
        self.after = after
        self.through = through
        self.types = types
    }

    /// Whether the range may hold an event of one of `types`.
    public func mayHold(_ types: some Sequence<String>) -> Bool {
        guard let present = self.types else { return true }
        return types.contains { present.contains($0) }
    }

    public var description: String { "(\(after), \(through)]" }
}
