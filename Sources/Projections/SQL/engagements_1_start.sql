-- Engagements started in a page of the log: a first version each.
-- Parameters: $1 the position the page starts after, $2 its last position.
-- Run in the generation's schema: SET search_path = shido_views_engagements_g<N>;
WITH started AS (
    INSERT INTO engagements (engagement_id, company_code, engineer_id, guidance_fields, goals, start_date,
                             planned_end_date, program_year, recorded_from)
    SELECT d ->> 'engagementID', d ->> 'companyCode', d ->> 'engineerID',
        ARRAY(SELECT jsonb_array_elements_text(d -> 'guidanceFields')), ARRAY(SELECT jsonb_array_elements_text(d -> 'goals')),
        (d ->> 'startDate')::date, (d ->> 'plannedEndDate')::date, (d ->> 'programYear')::integer, e.position
    FROM shido.events e CROSS JOIN LATERAL shido.upcast(e.type, e.schema_version, e.data) AS d
    WHERE e.type = 'EngagementStarted' AND e.position > $1 AND e.position <= $2
    RETURNING engagement_id, company_code, engineer_id, start_date, recorded_from
)
INSERT INTO page_changes (engagement_id, position, sign, kind, day, company_code, engineer_id)
SELECT engagement_id, recorded_from, 1, 'engagement', start_date, company_code, engineer_id FROM started;
