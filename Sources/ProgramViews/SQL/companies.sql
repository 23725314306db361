-- companies: per company (as then known), engagements, engineers, outcomes, trade.
-- Parameters: $1 as-of date or NULL, $2 known-at position or NULL (now), $3 program year,
-- $4 industry (NULL: any; shido.engagements_in_scope): narrowed, only companies with
-- engagements in scope are listed.
-- Run with the generations on the search_path, e.g.
--   SET search_path = shido_views_engagements_g1, shido_views_directory_g1, shido;
--   PREPARE v AS <this file>; EXECUTE v(...);
WITH e AS (SELECT * FROM shido.engagements_in_scope($1, $2, $3::integer, $4::text)),
per AS (
    SELECT e.company_code AS code, count(*) AS engagements, count(DISTINCT e.engineer_id) AS engineers,
        sum(f.outcomes) AS outcomes
    FROM e JOIN engagement_facts($1, $2) f USING (engagement_id) GROUP BY e.company_code
), trade AS (
    SELECT e.company_code AS code,
        json_agg(x.direction || ' ' || trim_scale(x.total) || ' ' || x.currency ORDER BY x.direction, x.currency) AS texts
    FROM shido.engagement_trade($1, $2) x JOIN e USING (engagement_id) GROUP BY e.company_code
)
SELECT coalesce(json_agg(json_build_object(
    'company', c.code, 'name', c.name, 'industry', c.industry, 'engagements', coalesce(per.engagements, 0),
    'engineers', coalesce(per.engineers, 0), 'outcomes', coalesce(per.outcomes, 0), 'trade', coalesce(trade.texts, '[]')
) ORDER BY c.code), '[]')
FROM companies c LEFT JOIN per USING (code) LEFT JOIN trade USING (code)
WHERE shido.known_at(c.recorded_from, c.recorded_until, $2) AND (($3::integer IS NULL AND $4::text IS NULL) OR per.engagements IS NOT NULL)
