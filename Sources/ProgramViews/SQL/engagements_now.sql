-- engagements now: the case table from the open versions and each engagement's line as the
-- projection keeps it (cases), reading only the rows of the page asked for (the same rows
-- as engagements.sql).
-- Parameters as engagements.sql; $1 and $2 are always NULL here.
-- Run with the generations on the search_path, e.g.
--   SET search_path = shido_views_engagements_g1, shido_views_directory_g1, shido;
--   PREPARE v AS <this file>; EXECUTE v(...);
WITH page AS (
    SELECT g.*, c.name AS company_name, c.industry, c.products, r.name AS engineer_name,
        k.sessions, k.hours, k.first_outcomes, k.trade, k.patterns
    FROM engagements g
    JOIN cases k ON k.engagement_id = g.engagement_id
    LEFT JOIN companies c ON c.code = g.company_code AND c.recorded_until IS NULL
    LEFT JOIN engineers r ON r.engineer_id = g.engineer_id AND r.recorded_until IS NULL
    WHERE g.recorded_until IS NULL AND $1::date IS NULL AND $2::bigint IS NULL
        AND ($3::integer IS NULL OR g.program_year = $3::integer) AND ($4::text IS NULL OR c.industry = $4::text)
        AND ($5::text IS NULL OR g.engineer_id = $5::text) AND ($6::text IS NULL OR g.company_code = $6::text)
        AND ($7::text IS NULL OR $7::text = ANY(k.patterns))
        AND ($8::text IS NULL OR ($8::text = 'completed') = (g.completed_date IS NOT NULL))
    ORDER BY g.start_date, g.engagement_id LIMIT $9::bigint OFFSET $10::bigint
)
SELECT coalesce(json_agg(json_build_object(
    'engagement', p.engagement_id, 'company', p.company_code, 'companyName', p.company_name, 'industry', p.industry,
    'products', p.products, 'engineer', p.engineer_id, 'engineerName', p.engineer_name,
    'guidanceFields', p.guidance_fields, 'start', p.start_date, 'completed', p.completed_date, 'year', p.program_year,
    'status', CASE WHEN p.completed_date IS NOT NULL THEN 'completed' ELSE 'active' END,
    'sessions', p.sessions, 'hours', p.hours, 'outcomes', p.first_outcomes, 'trade', p.trade,
    'patterns', to_json(ARRAY(SELECT q FROM unnest(p.patterns) AS q WHERE q IN ('productionStabilisation', 'salesToJapaneseExports')))
) ORDER BY p.start_date, p.engagement_id), '[]') FROM page p
