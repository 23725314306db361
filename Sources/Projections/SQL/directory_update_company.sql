-- A company updated: its current version closes, the next holds the fields the update gives
-- (a field it leaves out, or gives as null, stays as it was).
-- Parameters: $1 the update's position in the log.
-- Run in the generation's schema: SET search_path = shido_views_directory_g<N>;
WITH updated AS (
    SELECT d, e.position
    FROM shido.events e CROSS JOIN LATERAL shido.upcast(e.type, e.schema_version, e.data) AS d
    WHERE e.position = $1 AND e.type = 'CompanyUpdated'
), closed AS (
    UPDATE companies c SET recorded_until = u.position
    FROM updated u WHERE c.code = u.d ->> 'code' AND c.recorded_until IS NULL
    RETURNING c.code, c.name, c.industry, c.products, u.d, u.position
)
INSERT INTO companies (code, name, industry, products, recorded_from)
SELECT code, coalesce(d ->> 'name', name), coalesce(d ->> 'industry', industry),
    CASE WHEN jsonb_typeof(d -> 'products') = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(d -> 'products')) ELSE products END,
    position
FROM closed;
