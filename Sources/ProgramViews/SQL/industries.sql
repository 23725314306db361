-- industries: per industry, companies, engagements and their share of the total (%),
-- outcomes, trade.
-- Parameters: $1 as-of date or NULL, $2 known-at position or NULL (now), $3 program year,
-- $4 industry (NULL: any; shido.engagements_in_scope).
-- Run with the generations on the search_path, e.g.
--   SET search_path = shido_views_engagements_g1, shido_views_directory_g1, shido;
--   PREPARE v AS <this file>; EXECUTE v(...);
WITH e AS (SELECT * FROM shido.engagements_in_scope($1, $2, $3::integer, $4::text)),
per AS (
    SELECT e.industry, count(DISTINCT e.company_code) AS companies, count(*) AS engagements, sum(f.outcomes) AS outcomes,
        round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS share
    FROM e JOIN engagement_facts($1, $2) f USING (engagement_id) GROUP BY e.industry
), trade AS (
    SELECT industry, json_agg(direction || ' ' || trim_scale(total) || ' ' || currency ORDER BY direction, currency) AS texts
    FROM (SELECT e.industry, x.direction, x.currency, sum(x.total) AS total
          FROM shido.engagement_trade($1, $2) x JOIN e USING (engagement_id)
          GROUP BY e.industry, x.direction, x.currency) totals
    GROUP BY industry
)
SELECT coalesce(json_agg(json_build_object(
    'industry', per.industry, 'companies', per.companies, 'engagements', per.engagements,
    'share', per.share, 'outcomes', per.outcomes, 'trade', coalesce(trade.texts, '[]')
) ORDER BY per.industry), '[]')
FROM per LEFT JOIN trade USING (industry)
