import ProgramViews

/// The replay oracle's views: the general SQL shido answered every view with before its
/// tables kept their history, over the oracle's temporary tables.
///
/// Every statement takes `$1` = the "as of" business date (NULL for no cut-off) and returns
/// one row with one JSON array: the view's rows, keys in `ViewName.columns` order.
enum OracleSQL {
    static func statement(for view: ViewName) -> String {
        switch view {
        case .summary: summary
        case .engagements: engagements
        case .engineers: engineers
        case .companies: companies
        case .industries: industries
        case .patterns: patterns
        case .trade: trade
        case .years: years
        }
    }

    /// Entries in force by the as-of date, for alias `n`.
    private static let inForce = "NOT n.retracted AND ($1::date IS NULL OR n.entry_date <= $1::date)"

    private static func base(engagementFilter: String = "TRUE") -> String {
        """
        WITH e AS (
            SELECT g.engagement_id, g.company_code, g.engineer_id, g.guidance_fields, g.start_date, g.program_year,
                c.name AS company_name, c.industry, c.products, r.name AS engineer_name,
                g.completed_date IS NOT NULL AND ($1::date IS NULL OR g.completed_date <= $1::date) AS completed,
                CASE WHEN $1::date IS NULL OR g.completed_date <= $1::date THEN g.completed_date END AS completed_on
            FROM {engagements} g
            LEFT JOIN {companies} c ON c.code = g.company_code
            LEFT JOIN {engineers} r ON r.engineer_id = g.engineer_id
            WHERE ($1::date IS NULL OR g.start_date <= $1::date) AND \(engagementFilter)
        ), x AS (
            SELECT n.* FROM {entries} n JOIN e USING (engagement_id) WHERE \(inForce)
        ), f AS (
            SELECT e.engagement_id,
                count(x.position) FILTER (WHERE x.kind = 'session') AS sessions,
                coalesce(sum(x.hours) FILTER (WHERE x.kind = 'session'), 0) AS hours,
                count(x.position) FILTER (WHERE x.kind = 'outcome') AS outcomes,
                coalesce(bool_or(x.direction = 'koreaToJapan'), false) AS p1,
                coalesce(bool_or(x.direction = 'japanToKorea'), false) AS p2
            FROM e LEFT JOIN x USING (engagement_id) GROUP BY e.engagement_id
        )
        """
    }

    /// A view narrowed to a program year and an industry, given as `$year` and `$industry`.
    private static func scope(year: String, industry: String) -> String {
        "(\(year)::int IS NULL OR g.program_year = \(year)::int) AND (\(industry)::text IS NULL OR c.industry = \(industry)::text)"
    }

    /// Narrowed, the engineers' and companies' lists keep those with engagements in scope only.
    private static let listedWhenNarrowed = "WHERE ($2::int IS NULL AND $3::text IS NULL) OR per.engagements IS NOT NULL"

    /// "koreaToJapan 1000000 JPY" texts of the flows in force of the rows `source` selects.
    private static func tradeTexts(_ source: String) -> String {
        """
        (SELECT coalesce(json_agg(t ORDER BY t), '[]') FROM (
            SELECT n.direction || ' ' || trim_scale(sum(n.value)) || ' ' || n.currency AS t FROM \(source) AND n.kind = 'trade'
            GROUP BY n.direction, n.currency) trade_texts)
        """
    }

    /// $2 year, $3 industry.
    static let summary = base(engagementFilter: scope(year: "$2", industry: "$3")) + """
        SELECT coalesce(json_agg(json_build_object('measure', measure, 'value', trim_scale(coalesce(value, 0)::numeric)) ORDER BY ord, measure), '[]') FROM (
            SELECT 1 AS ord, 'engagements' AS measure, count(*)::numeric AS value FROM e
            UNION ALL SELECT 2, 'engagements active', count(*) FILTER (WHERE NOT completed) FROM e
            UNION ALL SELECT 3, 'engagements completed', count(*) FILTER (WHERE completed) FROM e
            UNION ALL SELECT 4, 'companies', count(DISTINCT company_code) FROM e
            UNION ALL SELECT 5, 'engineers', count(DISTINCT engineer_id) FROM e
            UNION ALL SELECT 6, 'sessions', sum(sessions) FROM f
            UNION ALL SELECT 7, 'hours', sum(hours) FROM f
            UNION ALL SELECT 8, 'outcomes', sum(outcomes) FROM f
            UNION ALL SELECT 9, 'outcomes ' || outcome_kind, count(*) FROM x WHERE kind = 'outcome' GROUP BY outcome_kind
            UNION ALL SELECT 10, 'trade ' || direction || ' ' || currency, sum(value) FROM x WHERE kind = 'trade' GROUP BY direction, currency
            UNION ALL SELECT 11, 'pattern productionStabilisation', count(*) FILTER (WHERE p1) FROM f
            UNION ALL SELECT 12, 'pattern salesToJapaneseExports', count(*) FILTER (WHERE p2) FROM f
            UNION ALL SELECT 13, 'pattern both', count(*) FILTER (WHERE p1 AND p2) FROM f
            UNION ALL SELECT 14, 'pattern neither', count(*) FILTER (WHERE NOT p1 AND NOT p2) FROM f
        ) measures
        """

    /// $2 year, $3 industry, $4 engineer, $5 company, $6 pattern, $7 status, $8 limit, $9 offset.
    static let engagements = base(engagementFilter: """
        ($2::int IS NULL OR g.program_year = $2::int) AND ($3::text IS NULL OR c.industry = $3::text)
            AND ($4::text IS NULL OR g.engineer_id = $4::text) AND ($5::text IS NULL OR g.company_code = $5::text)
        """) + """
        , page AS (
            SELECT e.*, f.sessions, f.hours, f.p1, f.p2 FROM e JOIN f USING (engagement_id)
            WHERE ($6::text IS NULL OR ($6 = 'productionStabilisation' AND f.p1) OR ($6 = 'salesToJapaneseExports' AND f.p2)
                    OR ($6 = 'both' AND f.p1 AND f.p2) OR ($6 = 'neither' AND NOT f.p1 AND NOT f.p2))
                AND ($7::text IS NULL OR ($7 = 'completed') = e.completed)
            ORDER BY e.start_date, e.engagement_id LIMIT $8 OFFSET $9
        )
        SELECT coalesce(json_agg(json_build_object(
            'engagement', p.engagement_id, 'company', p.company_code, 'companyName', p.company_name, 'industry', p.industry,
            'products', p.products, 'engineer', p.engineer_id, 'engineerName', p.engineer_name,
            'guidanceFields', p.guidance_fields, 'start', p.start_date, 'completed', p.completed_on, 'year', p.program_year,
            'status', CASE WHEN p.completed THEN 'completed' ELSE 'active' END, 'sessions', p.sessions, 'hours', p.hours,
            'outcomes', (SELECT coalesce(json_agg(firsts.label ORDER BY firsts.entry_date, firsts.position), '[]') FROM (
                             SELECT n.label, n.entry_date, n.position FROM {entries} n
                             WHERE n.engagement_id = p.engagement_id AND n.kind = 'outcome' AND \(inForce)
                             ORDER BY n.entry_date, n.position LIMIT 3) firsts),
            'trade', \(tradeTexts("{entries} n WHERE n.engagement_id = p.engagement_id AND \(inForce)")),
            'patterns', array_remove(ARRAY[CASE WHEN p.p1 THEN 'productionStabilisation' END,
                                           CASE WHEN p.p2 THEN 'salesToJapaneseExports' END], NULL)
        ) ORDER BY p.start_date, p.engagement_id), '[]') FROM page p
        """

    /// $2 year, $3 industry.
    static let engineers = base(engagementFilter: scope(year: "$2", industry: "$3")) + """
        , per AS (
            SELECT e.engineer_id, count(*) AS engagements, count(DISTINCT e.company_code) AS companies,
                sum(f.sessions) AS sessions, sum(f.hours) AS hours, sum(f.outcomes) AS outcomes
            FROM e JOIN f USING (engagement_id) GROUP BY e.engineer_id
        )
        SELECT coalesce(json_agg(json_build_object(
            'engineer', r.engineer_id, 'name', r.name, 'specialty', r.specialty, 'engagements', coalesce(per.engagements, 0),
            'companies', coalesce(per.companies, 0), 'sessions', coalesce(per.sessions, 0), 'hours', coalesce(per.hours, 0),
            'outcomes', coalesce(per.outcomes, 0)
        ) ORDER BY r.engineer_id), '[]') FROM {engineers} r LEFT JOIN per USING (engineer_id) \(listedWhenNarrowed)
        """

    /// $2 year, $3 industry.
    static let companies = base(engagementFilter: scope(year: "$2", industry: "$3")) + """
        , per AS (
            SELECT e.company_code AS code, count(*) AS engagements, count(DISTINCT e.engineer_id) AS engineers,
                sum(f.outcomes) AS outcomes
            FROM e JOIN f USING (engagement_id) GROUP BY e.company_code
        ), trade AS (
            SELECT e.company_code AS code, json_agg(x.direction || ' ' || trim_scale(x.total) || ' ' || x.currency ORDER BY x.direction, x.currency) AS texts
            FROM (SELECT engagement_id, direction, currency, sum(value) AS total FROM x WHERE kind = 'trade'
                  GROUP BY engagement_id, direction, currency) x
            JOIN e USING (engagement_id) GROUP BY e.company_code
        )
        SELECT coalesce(json_agg(json_build_object(
            'company', c.code, 'name', c.name, 'industry', c.industry, 'engagements', coalesce(per.engagements, 0),
            'engineers', coalesce(per.engineers, 0), 'outcomes', coalesce(per.outcomes, 0), 'trade', coalesce(trade.texts, '[]')
        ) ORDER BY c.code), '[]') FROM {companies} c LEFT JOIN per USING (code) LEFT JOIN trade USING (code) \(listedWhenNarrowed)
        """

    /// $2 year, $3 industry.
    static let industries = base(engagementFilter: scope(year: "$2", industry: "$3")) + """
        , per AS (
            SELECT e.industry, count(DISTINCT e.company_code) AS companies, count(*) AS engagements, sum(f.outcomes) AS outcomes,
                round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS share
            FROM e JOIN f USING (engagement_id) GROUP BY e.industry
        ), trade AS (
            SELECT industry, json_agg(direction || ' ' || trim_scale(total) || ' ' || currency ORDER BY direction, currency) AS texts
            FROM (SELECT e.industry, x.direction, x.currency, sum(x.value) AS total FROM x JOIN e USING (engagement_id)
                  WHERE x.kind = 'trade' GROUP BY e.industry, x.direction, x.currency) totals
            GROUP BY industry
        )
        SELECT coalesce(json_agg(json_build_object(
            'industry', per.industry, 'companies', per.companies, 'engagements', per.engagements,
            'share', per.share, 'outcomes', per.outcomes,
            'trade', coalesce(trade.texts, '[]')
        ) ORDER BY per.industry), '[]') FROM per LEFT JOIN trade USING (industry)
        """

    /// $2 the most cases listed per pattern (counts and values always cover all), $3 year, $4 industry.
    static let patterns = base(engagementFilter: scope(year: "$3", industry: "$4")) + """
        , membership AS (
            SELECT 'productionStabilisation' AS pattern, engagement_id FROM f WHERE p1
            UNION ALL SELECT 'salesToJapaneseExports', engagement_id FROM f WHERE p2
            UNION ALL SELECT 'both', engagement_id FROM f WHERE p1 AND p2
            UNION ALL SELECT 'neither', engagement_id FROM f WHERE NOT p1 AND NOT p2
        ), kinds(pattern, ord, direction) AS (
            VALUES ('productionStabilisation', 1, 'koreaToJapan'), ('salesToJapaneseExports', 2, 'japanToKorea'),
                   ('both', 3, NULL), ('neither', 4, NULL)
        ), flows AS (
            SELECT engagement_id, direction, currency, sum(value) AS total FROM x WHERE kind = 'trade'
            GROUP BY engagement_id, direction, currency
        )
        SELECT json_agg(json_build_object(
            'pattern', k.pattern,
            'engagements', (SELECT count(*) FROM membership m WHERE m.pattern = k.pattern),
            'trade', (SELECT coalesce(json_agg(t ORDER BY t), '[]') FROM (
                SELECT fl.direction || ' ' || trim_scale(sum(fl.total)) || ' ' || fl.currency AS t
                FROM membership m JOIN flows fl USING (engagement_id)
                WHERE m.pattern = k.pattern AND (k.direction IS NULL OR fl.direction = k.direction)
                GROUP BY fl.direction, fl.currency) totals),
            'cases', (SELECT coalesce(json_agg(json_build_object(
                'engagement', m.engagement_id, 'company', e.company_name,
                'flows', (SELECT coalesce(json_agg(json_build_object(
                              'direction', n.direction, 'from', n.entry_date, 'to', n.end_date, 'counterparty', n.counterparty,
                              'product', n.label, 'value', n.value, 'currency', n.currency) ORDER BY n.entry_date, n.position), '[]')
                          FROM {entries} n WHERE n.engagement_id = m.engagement_id AND n.kind = 'trade' AND \(inForce)
                              AND (k.direction IS NULL OR n.direction = k.direction)),
                'outcomes', (SELECT coalesce(json_agg(json_build_object(
                                 'kind', n.outcome_kind, 'date', n.entry_date, 'description', n.label) ORDER BY n.entry_date, n.position), '[]')
                             FROM {entries} n WHERE n.engagement_id = m.engagement_id AND n.kind = 'outcome' AND \(inForce))
                ) ORDER BY m.engagement_id), '[]')
                FROM (SELECT mm.engagement_id FROM membership mm WHERE mm.pattern = k.pattern ORDER BY mm.engagement_id LIMIT $2) m
                JOIN e USING (engagement_id))
        ) ORDER BY k.ord) FROM kinds k
        """

    /// $2 period (month, quarter, year), $3 industry, $4 year.
    static let trade = base(engagementFilter: scope(year: "$4", industry: "$3")) + """
        SELECT coalesce(json_agg(json_build_object(
            'period', period, 'industry', industry, 'currency', currency, 'koreaToJapan', k2j, 'japanToKorea', j2k,
            'balance', k2j - j2k, 'flows', flows
        ) ORDER BY period, industry, currency), '[]') FROM (
            SELECT CASE $2::text WHEN 'month' THEN to_char(x.entry_date, 'YYYY-MM')
                                 WHEN 'quarter' THEN to_char(x.entry_date, 'YYYY-"Q"Q')
                                 ELSE to_char(x.entry_date, 'YYYY') END AS period,
                e.industry, x.currency,
                coalesce(sum(x.value) FILTER (WHERE x.direction = 'koreaToJapan'), 0) AS k2j,
                coalesce(sum(x.value) FILTER (WHERE x.direction = 'japanToKorea'), 0) AS j2k,
                count(*) AS flows
            FROM x JOIN e USING (engagement_id) WHERE x.kind = 'trade' GROUP BY 1, 2, 3
        ) periods
        """

    /// $2 year, $3 industry.
    static let years = base(engagementFilter: scope(year: "$2", industry: "$3")) + """
        , per AS (
            SELECT e.program_year AS year, count(*) AS started, count(*) FILTER (WHERE e.completed) AS completed,
                sum(f.sessions) AS sessions, sum(f.hours) AS hours, sum(f.outcomes) AS outcomes
            FROM e JOIN f USING (engagement_id) GROUP BY e.program_year
        ), trade AS (
            SELECT year, json_agg(direction || ' ' || trim_scale(total) || ' ' || currency ORDER BY direction, currency) AS texts
            FROM (SELECT e.program_year AS year, x.direction, x.currency, sum(x.value) AS total FROM x JOIN e USING (engagement_id)
                  WHERE x.kind = 'trade' GROUP BY 1, 2, 3) totals
            GROUP BY year
        )
        SELECT coalesce(json_agg(json_build_object(
            'year', per.year, 'started', per.started, 'completed', per.completed, 'sessions', per.sessions, 'hours', per.hours,
            'outcomes', per.outcomes, 'trade', coalesce(trade.texts, '[]')
        ) ORDER BY per.year), '[]') FROM per LEFT JOIN trade USING (year)
        """
}
