import Foundation
import PostgresClient

/// Per-engagement measures and program totals, refreshed for the engagements a page touched.
///
/// Guarantees: after `refresh`, every touched engagement's `measures` rows are exactly what
/// its entries in force give (sessions, hours, outcomes and outcomes by kind, trade value by
/// direction and currency, flows by direction, its patterns, whether it is completed), and
/// `totals` holds their sum over all engagements: it moves by the difference between the
/// touched engagements' measures before and after, so a summary reads a few rows whatever
/// the size of the log. `totals` also counts the companies and engineers taking part.
enum Measures {
    static func refresh(_ touched: [String], newEngagements: Bool, in tables: TableSet, on connection: PostgresConnection) throws {
        guard !touched.isEmpty else { return }
        // Distinct counts cannot move by differences; they are recounted when they can change.
        if newEngagements { try connection.executeCached(tables.sql(participants)) }
        let ids = ArrayParameter(touched)
        let before = try sums(ids, in: tables, on: connection)
        try connection.executeCached(tables.sql("DELETE FROM {measures} WHERE engagement_id = ANY($1::text[])"), [ids])
        try connection.executeCached(tables.sql(recompute), [ids])
        try connection.executeCached(tables.sql(mainOutcomes), [ids])
        let after = try sums(ids, in: tables, on: connection)
        var delta = after
        for (measure, value) in before { delta[measure] = (delta[measure] ?? 0) - value }
        let changed = delta.filter { $0.value != 0 }
        guard !changed.isEmpty else { return }
        try connection.executeCached(tables.sql("""
            INSERT INTO {totals} (measure, value) SELECT * FROM unnest($1::text[], $2::numeric[])
            ON CONFLICT (measure) DO UPDATE SET value = {totals}.value + excluded.value
            """), [ArrayParameter(Array(changed.keys)), ArrayParameter(changed.keys.map { changed[$0]!.description })])
    }

    /// The touched engagements' measures summed, as exact decimals (Foundation's Decimal is exact to 38 digits).
    private static func sums(_ ids: ArrayParameter, in tables: TableSet, on connection: PostgresConnection) throws -> [String: Decimal] {
        let result = try connection.executeCached(
            tables.sql("SELECT measure, sum(value)::text FROM {measures} WHERE engagement_id = ANY($1::text[]) GROUP BY measure"), [ids])
        var sums: [String: Decimal] = [:]
        for row in 0..<result.rowCount { sums[try result.string(row, 0)] = Decimal(string: try result.string(row, 1)) ?? 0 }
        return sums
    }

    private static let recompute = """
        WITH g AS (
            SELECT engagement_id, completed_date IS NOT NULL AS completed FROM {engagements} WHERE engagement_id = ANY($1::text[])
        ), x AS MATERIALIZED (
            SELECT n.* FROM {entries} n JOIN g USING (engagement_id) WHERE NOT n.retracted
        ), flows AS (
            SELECT g.engagement_id,
                count(x.position) FILTER (WHERE x.direction = 'koreaToJapan') AS k2j,
                count(x.position) FILTER (WHERE x.direction = 'japanToKorea') AS j2k
            FROM g LEFT JOIN x ON x.engagement_id = g.engagement_id AND x.kind = 'trade' GROUP BY g.engagement_id
        )
        INSERT INTO {measures} (engagement_id, measure, value)
        SELECT engagement_id, 'engagements', 1 FROM g
        UNION ALL SELECT engagement_id, 'engagements completed', 1 FROM g WHERE completed
        UNION ALL SELECT engagement_id, 'engagements active', 1 FROM g WHERE NOT completed
        UNION ALL SELECT engagement_id, 'sessions', count(*) FROM x WHERE kind = 'session' GROUP BY engagement_id
        UNION ALL SELECT engagement_id, 'hours', sum(hours)::numeric FROM x WHERE kind = 'session' GROUP BY engagement_id
        UNION ALL SELECT engagement_id, 'outcomes', count(*) FROM x WHERE kind = 'outcome' GROUP BY engagement_id
        UNION ALL SELECT engagement_id, 'outcomes ' || outcome_kind, count(*) FROM x WHERE kind = 'outcome' GROUP BY engagement_id, outcome_kind
        UNION ALL SELECT engagement_id, 'trade ' || direction || ' ' || currency, sum(value) FROM x WHERE kind = 'trade'
            GROUP BY engagement_id, direction, currency
        UNION ALL SELECT engagement_id, 'pattern productionStabilisation', 1 FROM flows WHERE k2j > 0
        UNION ALL SELECT engagement_id, 'pattern salesToJapaneseExports', 1 FROM flows WHERE j2k > 0
        UNION ALL SELECT engagement_id, 'pattern both', 1 FROM flows WHERE k2j > 0 AND j2k > 0
        UNION ALL SELECT engagement_id, 'pattern neither', 1 FROM flows WHERE k2j = 0 AND j2k = 0
        UNION ALL SELECT x.engagement_id, 'pattern-trade ' || p.pattern || ' ' || x.direction || ' ' || x.currency, sum(x.value)
            FROM x JOIN flows f USING (engagement_id)
            JOIN (VALUES ('productionStabilisation', 'koreaToJapan'), ('salesToJapaneseExports', 'japanToKorea'), ('both', NULL))
                AS p(pattern, direction) ON (p.direction IS NULL AND f.k2j > 0 AND f.j2k > 0)
                    OR (p.direction = 'koreaToJapan' AND f.k2j > 0 AND x.direction = 'koreaToJapan')
                    OR (p.direction = 'japanToKorea' AND f.j2k > 0 AND x.direction = 'japanToKorea')
            WHERE x.kind = 'trade' GROUP BY x.engagement_id, p.pattern, x.direction, x.currency
        """

    private static let participants = """
        INSERT INTO {totals} (measure, value)
        SELECT 'companies', count(DISTINCT company_code) FROM {engagements}
        UNION ALL SELECT 'engineers', count(DISTINCT engineer_id) FROM {engagements}
        ON CONFLICT (measure) DO UPDATE SET value = excluded.value
        """

    /// The first three outcomes in force, by date: the case table's "main outcomes".
    private static let mainOutcomes = """
        UPDATE {engagements} g SET main_outcomes = coalesce((
            SELECT array_agg(label ORDER BY entry_date, position) FROM (
                SELECT n.label, n.entry_date, n.position FROM {entries} n
                WHERE n.engagement_id = g.engagement_id AND n.kind = 'outcome' AND NOT n.retracted
                ORDER BY n.entry_date, n.position LIMIT 3) firsts), '{}')
        WHERE g.engagement_id = ANY($1::text[])
        """
}
