-- Engagements completed in a page: the started version closes, a completed one opens.
-- Parameters: $1 the position the page starts after, $2 its last position.
-- Run in the generation's schema: SET search_path = shido_views_engagements_g<N>;
WITH completion AS (
    SELECT substr(e.stream_id, length('engagement-') + 1) AS engagement_id, e.position,
        (d ->> 'date')::date AS completed_date, d ->> 'summary' AS summary
    FROM shido.events e CROSS JOIN LATERAL shido.upcast(e.type, e.schema_version, e.data) AS d
    WHERE e.type = 'EngagementCompleted' AND e.position > $1 AND e.position <= $2
), closed AS (
    UPDATE engagements g SET recorded_until = c.position FROM completion c
    WHERE g.engagement_id = c.engagement_id AND g.recorded_until IS NULL
    RETURNING g.*, c.position AS at, c.completed_date AS new_completed_date, c.summary AS new_completion
), opened AS (
    INSERT INTO engagements (engagement_id, company_code, engineer_id, guidance_fields, goals, start_date,
                             planned_end_date, program_year, completed_date, completion, recorded_from)
    SELECT engagement_id, company_code, engineer_id, guidance_fields, goals, start_date, planned_end_date, program_year,
        new_completed_date, new_completion, at
    FROM closed
    RETURNING engagement_id, recorded_from, completed_date, start_date
)
INSERT INTO page_changes (engagement_id, position, sign, kind, day)
SELECT engagement_id, recorded_from, 1, 'completion', completed_date FROM opened;
