-- Companies and engineers registered in a page of the log: a first version each, in one
-- statement for the whole page.
-- Parameters: $1 the position the page starts after, $2 its last position.
-- Run in the generation's schema: SET search_path = shido_views_directory_g<N>;
WITH registered AS (
    SELECT e.type, d, e.position
    FROM shido.events e CROSS JOIN LATERAL shido.upcast(e.type, e.schema_version, e.data) AS d
    WHERE e.type IN ('CompanyRegistered', 'EngineerRegistered') AND e.position > $1 AND e.position <= $2
), companies_registered AS (
    INSERT INTO companies (code, name, industry, products, recorded_from)
    SELECT d ->> 'code', d ->> 'name', d ->> 'industry', ARRAY(SELECT jsonb_array_elements_text(d -> 'products')), position
    FROM registered WHERE type = 'CompanyRegistered'
)
INSERT INTO engineers (engineer_id, name, specialty, career, recorded_from)
SELECT d ->> 'engineerID', d ->> 'name', d ->> 'specialty', d ->> 'career', position
FROM registered WHERE type = 'EngineerRegistered';
