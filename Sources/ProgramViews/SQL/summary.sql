-- summary, general form: the program as of a business date by what was known at a log
-- position, aggregated from the entries in force (summary_known_at.sql and
-- summary_as_of.sql answer the common cases from the totals instead, with the same rows).
-- Parameters: $1 as-of date or NULL, $2 known-at position or NULL (now).
-- Run with the generations on the search_path, e.g.
--   SET search_path = shido_views_engagements_g1, shido_views_directory_g1, shido;
--   PREPARE v AS <this file>; EXECUTE v(...);
WITH e AS (SELECT * FROM shido.engagements_in_view($1, $2)),
x AS (SELECT * FROM shido.entries_in_view($1, $2)),
f AS (SELECT * FROM shido.engagement_facts($1, $2))
SELECT coalesce(json_agg(json_build_object('measure', measure, 'value', trim_scale(coalesce(value, 0)::numeric)) ORDER BY ord, measure), '[]')
FROM (
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
    UNION ALL SELECT 10 + k.ord, 'pattern ' || k.pattern, count(f.engagement_id)
        FROM (VALUES (1, 'productionStabilisation'), (2, 'salesToJapaneseExports'), (3, 'both'), (4, 'neither')) AS k (ord, pattern)
        LEFT JOIN f ON k.pattern = ANY(f.patterns) GROUP BY k.ord, k.pattern
) measures
