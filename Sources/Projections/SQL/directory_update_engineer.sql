-- An engineer updated: the current version closes, the next holds the fields given (NULL:
-- unchanged).
-- Parameters: $1 engineer id, $2 name, $3 specialty, $4 career, $5 the event's position.
WITH closed AS (
    UPDATE engineers SET recorded_until = $5 WHERE engineer_id = $1 AND recorded_until IS NULL
    RETURNING engineer_id, name, specialty, career
)
INSERT INTO engineers (engineer_id, name, specialty, career, recorded_from)
SELECT engineer_id, coalesce($2, name), coalesce($3, specialty), coalesce($4, career), $5 FROM closed;
