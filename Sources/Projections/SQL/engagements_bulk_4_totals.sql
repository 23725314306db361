-- Built from scratch: the program totals' timeline by log position, from every version
-- (what it counts comes in at recorded_from and leaves at recorded_until), every turn of
-- an engagement's patterns (its flows of each direction in force, position by position) and
-- the first start of each company and engineer; as engagements_8_totals.sql keeps it.
-- Run in the generation's schema: SET search_path = shido_views_engagements_g<N>;
WITH flow_steps AS (
    SELECT engagement_id, position, sum(korea_to_japan) AS korea_to_japan, sum(japan_to_korea) AS japan_to_korea FROM (
        -- one pass over the flows: each counts +1 where its version opens, -1 where it closes
        SELECT n.engagement_id, v.position, v.sign * (n.direction = 'koreaToJapan')::integer AS korea_to_japan,
            v.sign * (n.direction = 'japanToKorea')::integer AS japan_to_korea
        FROM entries n CROSS JOIN LATERAL (VALUES (n.recorded_from, 1), (n.recorded_until, -1)) AS v (position, sign)
        WHERE n.kind = 'trade' AND v.position IS NOT NULL
        UNION ALL
        SELECT g.engagement_id, g.recorded_from, 0, 0 FROM engagements g WHERE g.completed_date IS NULL
    ) flow_changes
    GROUP BY engagement_id, position
), memberships AS (
    SELECT engagement_id, position, members,
        coalesce(lag(members) OVER (PARTITION BY engagement_id ORDER BY position), '{}') AS members_before
    FROM (
        SELECT engagement_id, position,
            shido.patterns(sum(korea_to_japan) OVER per_engagement > 0, sum(japan_to_korea) OVER per_engagement > 0) AS members
        FROM flow_steps WINDOW per_engagement AS (PARTITION BY engagement_id ORDER BY position)
    ) running
), changes AS (
    -- one pass over the versions: what each counts comes in where it opens, leaves where it closes
    SELECT m.measure, v.position, v.sign * m.amount AS amount
    FROM entries n
    CROSS JOIN LATERAL shido.change_measures(n.kind, n.hours, n.outcome_kind, n.direction, n.currency, n.value) AS m
    CROSS JOIN LATERAL (VALUES (n.recorded_from, 1), (n.recorded_until, -1)) AS v (position, sign)
    WHERE m.measure NOT LIKE 'flows %' AND v.position IS NOT NULL
    UNION ALL
    SELECT m.measure, g.recorded_from, m.amount
    FROM engagements g
    CROSS JOIN LATERAL shido.change_measures(CASE WHEN g.completed_date IS NULL THEN 'engagement' ELSE 'completion' END,
                                             NULL, NULL, NULL, NULL, NULL) AS m
    UNION ALL
    SELECT 'pattern ' || p, position, 1 FROM memberships, unnest(members) AS p WHERE NOT p = ANY(members_before)
    UNION ALL
    SELECT 'pattern ' || p, position, -1 FROM memberships, unnest(members_before) AS p WHERE NOT p = ANY(members)
    UNION ALL
    SELECT 'companies', min(recorded_from), 1 FROM engagements GROUP BY company_code
    UNION ALL
    SELECT 'engineers', min(recorded_from), 1 FROM engagements GROUP BY engineer_id
), moves AS (
    SELECT measure, position, sum(amount) AS amount FROM changes GROUP BY measure, position HAVING sum(amount) <> 0
)
INSERT INTO totals (measure, position, value)
SELECT measure, position, sum(amount) OVER (PARTITION BY measure ORDER BY position) FROM moves;
