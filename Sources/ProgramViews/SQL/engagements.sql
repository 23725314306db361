-- engagements, general form: the case table as of a business date by what was known at a
-- log position (engagements_now.sql answers "now" from the measures, with the same rows).
-- Parameters: $1 as-of date or NULL, $2 known-at position or NULL (now), $3 program year,
-- $4 industry, $5 engineer, $6 company, $7 pattern, $8 status (active, completed),
-- $9 limit, $10 offset; a NULL filter does not filter.
-- Run with the generations on the search_path, e.g.
--   SET search_path = shido_views_engagements_g1, shido_views_directory_g1, shido;
--   PREPARE v AS <this file>; EXECUTE v(...);
WITH chosen AS (
    SELECT e.* FROM shido.engagements_in_scope($1, $2, $3::integer, $4::text) e
    WHERE ($5::text IS NULL OR e.engineer_id = $5::text) AND ($6::text IS NULL OR e.company_code = $6::text)
        AND ($7::text IS NULL OR EXISTS (SELECT 1 FROM shido.engagement_facts($1, $2) f
                                         WHERE f.engagement_id = e.engagement_id AND $7::text = ANY(f.patterns)))
        AND ($8::text IS NULL OR ($8::text = 'completed') = e.completed)
    ORDER BY e.start_date, e.engagement_id LIMIT $9::bigint OFFSET $10::bigint
), page AS (
    -- the figures of the rows listed only, each from its own entries (OFFSET 0: computed
    -- row by row, not joined to the figures of every engagement)
    SELECT c.*, f.sessions, f.hours, f.patterns
    FROM chosen c CROSS JOIN LATERAL (
        SELECT * FROM shido.engagement_facts($1, $2) x WHERE x.engagement_id = c.engagement_id OFFSET 0) f
)
SELECT coalesce(json_agg(json_build_object(
    'engagement', p.engagement_id, 'company', p.company_code, 'companyName', p.company_name, 'industry', p.industry,
    'products', p.products, 'engineer', p.engineer_id, 'engineerName', p.engineer_name,
    'guidanceFields', p.guidance_fields, 'start', p.start_date, 'completed', p.completed_on, 'year', p.program_year,
    'status', CASE WHEN p.completed THEN 'completed' ELSE 'active' END, 'sessions', p.sessions, 'hours', p.hours,
    'outcomes', (SELECT coalesce(json_agg(firsts.label ORDER BY firsts.entry_date, firsts.entry), '[]') FROM (
                     SELECT n.label, n.entry_date, n.entry FROM shido.entries_in_view($1, $2) n
                     WHERE n.engagement_id = p.engagement_id AND n.kind = 'outcome'
                     ORDER BY n.entry_date, n.entry LIMIT 3) firsts),
    'trade', (SELECT coalesce(json_agg(t ORDER BY t), '[]') FROM (
                  SELECT n.direction || ' ' || trim_scale(sum(n.value)) || ' ' || n.currency AS t
                  FROM shido.entries_in_view($1, $2) n WHERE n.engagement_id = p.engagement_id AND n.kind = 'trade'
                  GROUP BY n.direction, n.currency) texts),
    'patterns', to_json(ARRAY(SELECT q FROM unnest(p.patterns) AS q WHERE q IN ('productionStabilisation', 'salesToJapaneseExports')))
) ORDER BY p.start_date, p.engagement_id), '[]') FROM page p
