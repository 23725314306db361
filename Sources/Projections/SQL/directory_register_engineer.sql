-- An engineer registered: the first version.
-- Parameters: $1 engineer id, $2 name, $3 specialty, $4 career, $5 the event's position.
INSERT INTO engineers (engineer_id, name, specialty, career, recorded_from) VALUES ($1, $2, $3, $4, $5);
