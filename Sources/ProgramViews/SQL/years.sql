-- years: per program year, engagements started and completed, sessions, hours, outcomes, trade.
-- Parameters: $1 as-of date or NULL, $2 known-at position or NULL (now), $3 program year,
-- $4 industry (NULL: any; shido.engagements_in_scope).
-- Run with the generations on the search_path, e.g.
--   SET search_path = shido_views_engagements_g1, shido_views_directory_g1, shido;
--   PREPARE v AS <this file>; EXECUTE v(...);
WITH e AS (SELECT * FROM shido.engagements_in_scope($1, $2, $3::integer, $4::text)),
per AS (
    SELECT e.program_year AS year, count(*) AS started, count(*) FILTER (WHERE e.completed) AS completed,
        sum(f.sessions) AS sessions, sum(f.hours) AS hours, sum(f.outcomes) AS outcomes
    FROM e JOIN engagement_facts($1, $2) f USING (engagement_id) GROUP BY e.program_year
), trade AS (
    SELECT year, json_agg(direction || ' ' || trim_scale(total) || ' ' || currency ORDER BY direction, currency) AS texts
    FROM (SELECT e.program_year AS year, x.direction, x.currency, sum(x.total) AS total
          FROM shido.engagement_trade($1, $2) x JOIN e USING (engagement_id) GROUP BY 1, 2, 3) totals
    GROUP BY year
)
SELECT coalesce(json_agg(json_build_object(
    'year', per.year, 'started', per.started, 'completed', per.completed, 'sessions', per.sessions, 'hours', per.hours,
    'outcomes', per.outcomes, 'trade', coalesce(trade.texts, '[]')
) ORDER BY per.year), '[]')
FROM per LEFT JOIN trade USING (year)
