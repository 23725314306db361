/// How a correction or retraction names its entry: by the event id that recorded it, or by
/// the entry's own id within its engagement (`session:s-c1`, `outcome:o-1`, `trade:t-9`),
/// which is what program staff know.
///
/// Guarantees: an event id (a UUID) never contains a colon, so the two forms never collide;
/// the recorded correction or retraction always holds the resolved event id.
public enum EntryReference {
    public enum Kind: String, CaseIterable, Sendable {
        case session, outcome, trade

        /// The body member that carries this kind's id (`sessionID`…).
        public var idField: String { rawValue + "ID" }
    }

    /// The reference to an entry by its own id.
    public static func byEntryID(_ kind: Kind, _ id: String) -> String { "\(kind.rawValue):\(id)" }

    /// The entity key a reference names, nil when it is an event id.
    static func entityKey(_ reference: String) -> String? {
        guard let colon = reference.firstIndex(of: ":"), Kind(rawValue: String(reference[..<colon])) != nil else { return nil }
        return reference
    }
}
