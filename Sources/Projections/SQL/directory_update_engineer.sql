-- An engineer updated: the current version closes, the next holds the fields the update
-- gives (a field it leaves out, or gives as null, stays as it was).
-- Parameters: $1 the update's position in the log.
-- Run in the generation's schema: SET search_path = shido_views_directory_g<N>;
WITH updated AS (
    SELECT d, e.position
    FROM shido.events e CROSS JOIN LATERAL shido.upcast(e.type, e.schema_version, e.data) AS d
    WHERE e.position = $1 AND e.type = 'EngineerUpdated'
), closed AS (
    UPDATE engineers g SET recorded_until = u.position
    FROM updated u WHERE g.engineer_id = u.d ->> 'engineerID' AND g.recorded_until IS NULL
    RETURNING g.engineer_id, g.name, g.specialty, g.career, u.d, u.position
)
INSERT INTO engineers (engineer_id, name, specialty, career, recorded_from)
SELECT engineer_id, coalesce(d ->> 'name', name), coalesce(d ->> 'specialty', specialty), coalesce(d ->> 'career', career), position
FROM closed;
