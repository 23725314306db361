/// What a caller may do. Each role includes everything the roles below it may do.
///
/// Guarantees: the order is reader < recorder < admin, and a route names the least role
/// it needs; the role comes from the socket's peer credentials, never from the request.
public enum Role: String, Sendable, CaseIterable, Comparable {
    /// Queries, projections and the audit log.
    case reader
    /// A reader who may also record events.
    case recorder
    /// Everything, including restore and rebuilds.
    case admin

    private var rank: Int { Role.allCases.firstIndex(of: self)! }
    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}
