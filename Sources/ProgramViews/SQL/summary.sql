-- summary, general form: the program as of a business date by what was known at a log
-- position, aggregated from the entries in force (summary_known_at.sql and
-- summary_as_of.sql answer the common cases from the totals instead, with the same rows).
-- Parameters: $1 as-of date or NULL, $2 known-at position or NULL (now), $3 program year,
-- $4 industry (NULL: any; shido.engagements_in_scope).
-- Run with the generations on the search_path, e.g.
--   SET search_path = shido_views_engagements_g1, shido_views_directory_g1, shido;
--   PREPARE v AS <this file>; EXECUTE v(...);
WITH e AS (SELECT * FROM shido.engagements_in_scope($1, $2, $3::integer, $4::text)),
-- One pass over the entries in force: what each engagement has of each kind.
groups AS MATERIALIZED (
    SELECT n.engagement_id, n.kind, n.outcome_kind, n.direction, n.currency,
        count(*) AS entries, sum(n.hours) AS hours, sum(n.value) AS value
    FROM shido.entries_in_view($1, $2) n
    WHERE ($3::integer IS NULL AND $4::text IS NULL) OR n.engagement_id IN (SELECT engagement_id FROM e)
    GROUP BY 1, 2, 3, 4, 5
), f AS (
    SELECT e.engagement_id, shido.patterns(coalesce(bool_or(g.direction = 'koreaToJapan'), false),
                                           coalesce(bool_or(g.direction = 'japanToKorea'), false)) AS patterns
    FROM e LEFT JOIN groups g USING (engagement_id) GROUP BY e.engagement_id
)
SELECT coalesce(json_agg(json_build_object('measure', measure, 'value', trim_scale(coalesce(value, 0)::numeric)) ORDER BY ord, measure), '[]')
FROM (
    SELECT 1 AS ord, 'engagements' AS measure, count(*)::numeric AS value FROM e
    UNION ALL SELECT 2, 'engagements active', count(*) FILTER (WHERE NOT completed) FROM e
    UNION ALL SELECT 3, 'engagements completed', count(*) FILTER (WHERE completed) FROM e
    UNION ALL SELECT 4, 'companies', count(DISTINCT company_code) FROM e
    UNION ALL SELECT 5, 'engineers', count(DISTINCT engineer_id) FROM e
    UNION ALL SELECT 6, 'sessions', sum(entries) FROM groups WHERE kind = 'session'
    UNION ALL SELECT 7, 'hours', sum(hours)::numeric FROM groups WHERE kind = 'session'
    UNION ALL SELECT 8, 'outcomes', sum(entries) FROM groups WHERE kind = 'outcome'
    UNION ALL SELECT 9, 'outcomes ' || outcome_kind, sum(entries) FROM groups WHERE kind = 'outcome' GROUP BY outcome_kind
    UNION ALL SELECT 10, 'trade ' || direction || ' ' || currency, sum(value) FROM groups WHERE kind = 'trade' GROUP BY direction, currency
    UNION ALL SELECT 10 + k.ord, 'pattern ' || k.pattern, count(f.engagement_id)
        FROM (VALUES (1, 'productionStabilisation'), (2, 'salesToJapaneseExports'), (3, 'both'), (4, 'neither')) AS k (ord, pattern)
        LEFT JOIN f ON k.pattern = ANY(f.patterns) GROUP BY k.ord, k.pattern
) measures
