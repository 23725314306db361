-- Built from scratch (the generation is empty): every version of every engagement known at
-- $1, at once. A start opens the first version, each completion closes the open one and
-- opens the next (as engagements_1_start.sql and engagements_2_complete.sql do range by range).
-- Parameters: $1 the last position of the log taken.
-- Run in the generation's schema: SET search_path = shido_views_engagements_g<N>;
WITH started AS (
    SELECT d ->> 'engagementID' AS engagement_id, d ->> 'companyCode' AS company_code, d ->> 'engineerID' AS engineer_id,
        ARRAY(SELECT jsonb_array_elements_text(d -> 'guidanceFields')) AS guidance_fields,
        ARRAY(SELECT jsonb_array_elements_text(d -> 'goals')) AS goals,
        (d ->> 'startDate')::date AS start_date, (d ->> 'plannedEndDate')::date AS planned_end_date,
        (d ->> 'programYear')::integer AS program_year, e.position
    FROM shido.events e CROSS JOIN LATERAL shido.upcast(e.type, e.schema_version, e.data) AS d
    WHERE e.type = 'EngagementStarted' AND e.position <= $1
), completions AS (
    SELECT substr(e.stream_id, length('engagement-') + 1) AS engagement_id, e.position,
        (d ->> 'date')::date AS completed_date, d ->> 'summary' AS summary,
        row_number() OVER per_engagement AS nth, lead(e.position) OVER per_engagement AS next
    FROM shido.events e CROSS JOIN LATERAL shido.upcast(e.type, e.schema_version, e.data) AS d
    WHERE e.type = 'EngagementCompleted' AND e.position <= $1
    WINDOW per_engagement AS (PARTITION BY e.stream_id ORDER BY e.position)
)
INSERT INTO engagements (engagement_id, company_code, engineer_id, guidance_fields, goals, start_date, planned_end_date,
                         program_year, completed_date, completion, recorded_from, recorded_until)
SELECT s.engagement_id, s.company_code, s.engineer_id, s.guidance_fields, s.goals, s.start_date, s.planned_end_date,
    s.program_year, NULL, NULL, s.position, c.position
FROM started s LEFT JOIN completions c ON c.engagement_id = s.engagement_id AND c.nth = 1
UNION ALL
SELECT s.engagement_id, s.company_code, s.engineer_id, s.guidance_fields, s.goals, s.start_date, s.planned_end_date,
    s.program_year, c.completed_date, c.summary, c.position, c.next
FROM started s JOIN completions c ON c.engagement_id = s.engagement_id;
