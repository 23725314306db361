/// The views that have a fast form for "now" (no as-of date): they read the per-engagement
/// `measures` and the program `totals` the engagements projection keeps, instead of
/// aggregating entries. Same parameters and same rows as `ViewSQL` with `$1` NULL (a test
/// holds them to it).
enum LiveSQL {
    static func statement(for view: ViewName) -> String? {
        switch view {
        case .summary: summary
        case .engagements: engagements
        case .patterns: patterns
        default: nil
        }
    }

    private static func measure(_ name: String, of engagement: String) -> String {
        "(SELECT m.value FROM {measures} m WHERE m.engagement_id = \(engagement) AND m.measure = \(name))"
    }

    static let summary = """
        WITH t AS (SELECT measure, value FROM {totals} WHERE $1::date IS NULL),
        fixed(ord, measure) AS (VALUES
            (1, 'engagements'), (2, 'engagements active'), (3, 'engagements completed'), (4, 'companies'), (5, 'engineers'),
            (6, 'sessions'), (7, 'hours'),
            (8, 'outcomes'), (11, 'pattern productionStabilisation'), (12, 'pattern salesToJapaneseExports'),
            (13, 'pattern both'), (14, 'pattern neither'))
        SELECT coalesce(json_agg(json_build_object('measure', measure, 'value', trim_scale(coalesce(value, 0))) ORDER BY ord, measure), '[]')
        FROM (
            SELECT f.ord, f.measure, t.value FROM fixed f LEFT JOIN t USING (measure)
            UNION ALL SELECT 9, measure, value FROM t WHERE measure LIKE 'outcomes %' AND value <> 0
            UNION ALL SELECT 10, measure, value FROM t WHERE measure LIKE 'trade %' AND value <> 0
        ) measures
        """

    static let engagements = """
        WITH page AS (
            SELECT g.*, c.name AS company_name, c.industry, c.products, r.name AS engineer_name
            FROM {engagements} g
            LEFT JOIN {companies} c ON c.code = g.company_code
            LEFT JOIN {engineers} r ON r.engineer_id = g.engineer_id
            WHERE $1::date IS NULL AND ($2::int IS NULL OR g.program_year = $2::int) AND ($3::text IS NULL OR c.industry = $3::text)
                AND ($4::text IS NULL OR g.engineer_id = $4::text) AND ($5::text IS NULL OR g.company_code = $5::text)
                AND ($6::text IS NULL OR EXISTS (
                    SELECT 1 FROM {measures} m WHERE m.engagement_id = g.engagement_id AND m.measure = 'pattern ' || $6::text))
                AND ($7::text IS NULL OR ($7 = 'completed') = (g.completed_date IS NOT NULL))
            ORDER BY g.start_date, g.engagement_id LIMIT $8 OFFSET $9
        )
        SELECT coalesce(json_agg(json_build_object(
            'engagement', p.engagement_id, 'company', p.company_code, 'companyName', p.company_name, 'industry', p.industry,
            'products', p.products, 'engineer', p.engineer_id, 'engineerName', p.engineer_name,
            'guidanceFields', p.guidance_fields, 'start', p.start_date, 'completed', p.completed_date, 'year', p.program_year,
            'status', CASE WHEN p.completed_date IS NOT NULL THEN 'completed' ELSE 'active' END,
            'sessions', coalesce(\(measure("'sessions'", of: "p.engagement_id")), 0),
            'hours', trim_scale(coalesce(\(measure("'hours'", of: "p.engagement_id")), 0)),
            'outcomes', to_json(p.main_outcomes),
            'trade', (SELECT coalesce(json_agg(t ORDER BY t), '[]') FROM (
                SELECT split_part(m.measure, ' ', 2) || ' ' || trim_scale(m.value) || ' ' || split_part(m.measure, ' ', 3) AS t
                FROM {measures} m WHERE m.engagement_id = p.engagement_id AND m.measure LIKE 'trade %') texts),
            'patterns', array_remove(ARRAY[
                CASE WHEN \(measure("'pattern productionStabilisation'", of: "p.engagement_id")) IS NOT NULL THEN 'productionStabilisation' END,
                CASE WHEN \(measure("'pattern salesToJapaneseExports'", of: "p.engagement_id")) IS NOT NULL THEN 'salesToJapaneseExports' END], NULL)
        ) ORDER BY p.start_date, p.engagement_id), '[]') FROM page p
        """

    static let patterns = """
        WITH kinds(pattern, ord, direction) AS (
            VALUES ('productionStabilisation', 1, 'koreaToJapan'), ('salesToJapaneseExports', 2, 'japanToKorea'),
                   ('both', 3, NULL), ('neither', 4, NULL)
        )
        SELECT json_agg(json_build_object(
            'pattern', k.pattern,
            'engagements', trim_scale(coalesce((SELECT value FROM {totals} WHERE measure = 'pattern ' || k.pattern), 0)),
            'trade', (SELECT coalesce(json_agg(t ORDER BY t), '[]') FROM (
                SELECT split_part(measure, ' ', 3) || ' ' || trim_scale(value) || ' ' || split_part(measure, ' ', 4) AS t
                FROM {totals} WHERE measure LIKE 'pattern-trade ' || k.pattern || ' %' AND value <> 0) totals),
            'cases', (SELECT coalesce(json_agg(json_build_object(
                'engagement', m.engagement_id, 'company', c.name,
                'flows', (SELECT coalesce(json_agg(json_build_object(
                              'direction', n.direction, 'from', n.entry_date, 'to', n.end_date, 'counterparty', n.counterparty,
                              'product', n.label, 'value', n.value, 'currency', n.currency) ORDER BY n.entry_date, n.position), '[]')
                          FROM {entries} n WHERE n.engagement_id = m.engagement_id AND n.kind = 'trade' AND NOT n.retracted
                              AND (k.direction IS NULL OR n.direction = k.direction)),
                'outcomes', (SELECT coalesce(json_agg(json_build_object(
                                 'kind', n.outcome_kind, 'date', n.entry_date, 'description', n.label) ORDER BY n.entry_date, n.position), '[]')
                             FROM {entries} n WHERE n.engagement_id = m.engagement_id AND n.kind = 'outcome' AND NOT n.retracted)
                ) ORDER BY m.engagement_id), '[]')
                FROM (SELECT mm.engagement_id FROM {measures} mm WHERE mm.measure = 'pattern ' || k.pattern
                      ORDER BY mm.engagement_id LIMIT $2) m
                JOIN {engagements} g USING (engagement_id) LEFT JOIN {companies} c ON c.code = g.company_code)
        ) ORDER BY k.ord) FROM kinds k WHERE $1::date IS NULL
        """
}
