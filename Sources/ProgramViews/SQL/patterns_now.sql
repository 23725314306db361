-- patterns now: the members of each pattern are the measures rows naming it, their trade
-- the program totals (a Korea→Japan flow makes its engagement a production-stabilisation
-- case, so that pattern's trade is all Korea→Japan trade; likewise Japan→Korea) or, for
-- both, both_trade; each case's evidence as the projection keeps it (cases), read only
-- for the cases listed.
-- Parameters as patterns.sql; $1, $2, $4 and $5 are always NULL here.
-- Run with the generations on the search_path, e.g.
--   SET search_path = shido_views_engagements_g1, shido_views_directory_g1, shido;
--   PREPARE v AS <this file>; EXECUTE v(...);
WITH RECURSIVE names AS (
    SELECT min(measure) AS measure FROM totals
    UNION ALL
    SELECT (SELECT min(t.measure) FROM totals t WHERE t.measure > names.measure) FROM names WHERE names.measure IS NOT NULL
), now AS (
    SELECT names.measure, (SELECT v.value FROM totals v WHERE v.measure = names.measure ORDER BY v.position DESC LIMIT 1) AS value
    FROM names WHERE names.measure IS NOT NULL
), kinds (pattern, ord, direction) AS (
    VALUES ('productionStabilisation', 1, 'koreaToJapan'), ('salesToJapaneseExports', 2, 'japanToKorea'),
           ('both', 3, NULL), ('neither', 4, NULL)
)
SELECT json_agg(json_build_object(
    'pattern', k.pattern,
    'engagements', trim_scale(coalesce((SELECT value FROM now WHERE measure = 'pattern ' || k.pattern), 0)),
    'trade', (SELECT coalesce(json_agg(t ORDER BY t), '[]') FROM (
        SELECT split_part(s.measure, ' ', 2) || ' ' || trim_scale(s.value) || ' ' || split_part(s.measure, ' ', 3) AS t
        FROM (SELECT measure, value FROM now WHERE measure LIKE 'trade ' || k.direction || ' %'
              UNION ALL SELECT measure, value FROM both_trade WHERE k.pattern = 'both') s
        WHERE s.value <> 0) totals),
    'cases', (SELECT coalesce(json_agg(json_build_object(
        'engagement', m.engagement_id,
        'company', (SELECT c.name FROM engagements g JOIN companies c ON c.code = g.company_code AND c.recorded_until IS NULL
                    WHERE g.engagement_id = m.engagement_id AND g.recorded_until IS NULL),
        'flows', CASE WHEN k.direction IS NULL THEN x.flows
                      ELSE (SELECT coalesce(json_agg(f), '[]') FROM json_array_elements(x.flows) AS f WHERE f ->> 'direction' = k.direction) END,
        'outcomes', x.outcomes
        ) ORDER BY m.engagement_id), '[]')
        FROM (SELECT mm.engagement_id FROM measures mm WHERE mm.measure = 'pattern ' || k.pattern
              ORDER BY mm.engagement_id LIMIT $3) m
        -- looked up case by case (OFFSET 0), whatever the plan guesses of the limit
        CROSS JOIN LATERAL (SELECT x.flows, x.outcomes FROM cases x WHERE x.engagement_id = m.engagement_id OFFSET 0) x)
) ORDER BY k.ord) FROM kinds k WHERE $1::date IS NULL AND $2::bigint IS NULL AND $4::integer IS NULL AND $5::text IS NULL
