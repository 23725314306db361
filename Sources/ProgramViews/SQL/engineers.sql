-- engineers: per engineer (as then known), engagements, companies, sessions, hours, outcomes.
-- Parameters: $1 as-of date or NULL, $2 known-at position or NULL (now), $3 program year,
-- $4 industry (NULL: any; shido.engagements_in_scope): narrowed, only engineers with
-- engagements in scope are listed.
-- Run with the generations on the search_path, e.g.
--   SET search_path = shido_views_engagements_g1, shido_views_directory_g1, shido;
--   PREPARE v AS <this file>; EXECUTE v(...);
WITH per AS (
    SELECT e.engineer_id, count(*) AS engagements, count(DISTINCT e.company_code) AS companies,
        sum(f.sessions) AS sessions, sum(f.hours) AS hours, sum(f.outcomes) AS outcomes
    FROM shido.engagements_in_scope($1, $2, $3::integer, $4::text) e JOIN engagement_facts($1, $2) f USING (engagement_id)
    GROUP BY e.engineer_id
)
SELECT coalesce(json_agg(json_build_object(
    'engineer', r.engineer_id, 'name', r.name, 'specialty', r.specialty, 'engagements', coalesce(per.engagements, 0),
    'companies', coalesce(per.companies, 0), 'sessions', coalesce(per.sessions, 0), 'hours', coalesce(per.hours, 0),
    'outcomes', coalesce(per.outcomes, 0)
) ORDER BY r.engineer_id), '[]')
FROM engineers r LEFT JOIN per USING (engineer_id)
WHERE shido.known_at(r.recorded_from, r.recorded_until, $2) AND (($3::integer IS NULL AND $4::text IS NULL) OR per.engagements IS NOT NULL)
