/// How to reach a PostgreSQL server and how to set up each session on it.
///
/// Guarantees: the conninfo string is handed to libpq as one value (`dbname` with
/// expansion) and every override as its own keyword, so no value is ever concatenated into
/// a connection string.
public struct ConnectionSettings: Sendable, Hashable {
    /// A libpq connection string or URI (`host=/run/x dbname=shido`, `postgresql://…`); empty
    /// means libpq's defaults and `PG*` environment variables.
    public var conninfo: String
    /// libpq keywords applied after `conninfo`, overriding it (`host`, `user`, `dbname`…).
    public var overrides: [String: String]
    /// A role to assume right after connecting (`SET ROLE`), so that the session runs with
    /// that role's privileges only.
    public var sessionRole: String?
    /// Settings every session sets for itself right after connecting (`set_config`), so that
    /// they hold whatever the server, database or role defaults say.
    public var sessionParameters: [String: String] = [:]

    public init(conninfo: String = "", overrides: [String: String] = [:], sessionRole: String? = nil) {
        self.conninfo = conninfo
        self.overrides = overrides
        self.sessionRole = sessionRole
    }

    /// The same settings, with `name` set to `value` in every session.
    public func setting(_ name: String, _ value: String) -> ConnectionSettings {
        var copy = self
        copy.sessionParameters[name] = value
        return copy
    }

    /// The same settings with one more override.
    public func with(_ keyword: String, _ value: String) -> ConnectionSettings {
        var copy = self
        copy.overrides[keyword] = value
        return copy
    }

    /// The same settings, assuming `role` after connecting.
    public func assuming(role: String?) -> ConnectionSettings {
        var copy = self
        copy.sessionRole = role
        return copy
    }

    /// Keyword/value pairs in the order libpq applies them: the expanded conninfo first.
    var keywordPairs: [(String, String)] {
        var pairs: [(String, String)] = []
        if !conninfo.isEmpty { pairs.append(("dbname", conninfo)) }
        pairs.append(contentsOf: overrides.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        if !pairs.contains(where: { $0.0 == "application_name" }) { pairs.append(("application_name", "shido")) }
        return pairs
    }
}
