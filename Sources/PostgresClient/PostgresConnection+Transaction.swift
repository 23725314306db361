/// Transactions on one connection.
extension PostgresConnection {
    /// Runs `body` inside BEGIN … COMMIT; rolls back (and rethrows) when `body` throws.
    ///
    /// A failed ROLLBACK on a broken link is ignored: the server discards the transaction anyway.
    /// `begin` may set the isolation level and access mode (`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`).
    public func transaction<Result>(begin: StaticString = "BEGIN", _ body: () throws -> Result) throws -> Result {
        try execute("\(begin)")
        return try finishTransaction(body)
    }

    /// Runs `body` inside BEGIN … COMMIT after `preamble` (SET LOCAL statements, written by
    /// us), which goes in the same round trip as the BEGIN.
    public func transaction<Result>(preamble: StaticOrTrustedSQL, _ body: () throws -> Result) throws -> Result {
        try executeScript(StaticOrTrustedSQL(trusted: "BEGIN; " + preamble.text))
        return try finishTransaction(body)
    }

    private func finishTransaction<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if isOpen { _ = try? execute("ROLLBACK") }
            throw error
        }
    }
}
