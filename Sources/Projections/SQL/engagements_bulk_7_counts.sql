-- Built from scratch: each engagement's sessions, hours and outcomes as known at the end of
-- every stretch of the log in which a version of them opened or closed, and by the
-- month they are dated in, as known now; as engagements_12_counts.sql keeps them.
-- Run in the generation's schema: SET search_path = shido_views_engagements_g<N>;
WITH monthly AS (
    INSERT INTO counts_monthly (engagement_id, month, sessions, hours, outcomes)
    SELECT engagement_id, date_trunc('month', entry_date)::date, count(*) FILTER (WHERE kind = 'session'),
        coalesce(sum(hours::numeric) FILTER (WHERE kind = 'session'), 0), count(*) FILTER (WHERE kind = 'outcome')
    FROM entries WHERE kind IN ('session', 'outcome') AND recorded_until IS NULL GROUP BY 1, 2
), moved AS (
    -- one pass over the versions: each counts +1 in the stretch it opens in, -1 where it closes
    SELECT n.engagement_id, v.position / (SELECT length FROM counts_stretch) AS stretch, sum(v.sign) FILTER (WHERE n.kind = 'session') AS sessions,
        sum(v.sign * n.hours::numeric) FILTER (WHERE n.kind = 'session') AS hours,
        sum(v.sign) FILTER (WHERE n.kind = 'outcome') AS outcomes
    FROM entries n CROSS JOIN LATERAL (VALUES (n.recorded_from, 1), (n.recorded_until, -1)) AS v (position, sign)
    WHERE n.kind IN ('session', 'outcome') AND v.position IS NOT NULL
    GROUP BY 1, 2
)
INSERT INTO counts_known (engagement_id, stretch, sessions, hours, outcomes)
SELECT engagement_id, stretch, sum(coalesce(sessions, 0)) OVER running, sum(coalesce(hours, 0)) OVER running,
    sum(coalesce(outcomes, 0)) OVER running
FROM moved WINDOW running AS (PARTITION BY engagement_id ORDER BY stretch);
