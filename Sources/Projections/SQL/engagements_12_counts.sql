-- Each engagement's sessions, hours and outcomes, moved by what the page opened and closed:
-- as known at the end of each stretch of the log the page touched (counts_known:
-- the engagement's last row, which no earlier stretch follows, plus the page's moves in
-- stretch order) and by the month each entry is dated in (counts_monthly).
-- Run in the generation's schema: SET search_path = shido_views_engagements_g<N>;
WITH moved AS (
    SELECT engagement_id, position / (SELECT length FROM counts_stretch) AS stretch,
        coalesce(sum(sign) FILTER (WHERE kind = 'session'), 0) AS sessions,
        coalesce(sum(sign * hours::numeric) FILTER (WHERE kind = 'session'), 0) AS hours,
        coalesce(sum(sign) FILTER (WHERE kind = 'outcome'), 0) AS outcomes
    FROM page_changes WHERE kind IN ('session', 'outcome') GROUP BY 1, 2
), last AS (
    SELECT t.engagement_id, k.sessions, k.hours, k.outcomes FROM (SELECT DISTINCT engagement_id FROM moved) t
    LEFT JOIN LATERAL (
        SELECT c.sessions, c.hours, c.outcomes FROM counts_known c WHERE c.engagement_id = t.engagement_id
        ORDER BY c.stretch DESC LIMIT 1
    ) k ON true
), monthly AS (
    INSERT INTO counts_monthly (engagement_id, month, sessions, hours, outcomes)
    SELECT engagement_id, date_trunc('month', day)::date, coalesce(sum(sign) FILTER (WHERE kind = 'session'), 0),
        coalesce(sum(sign * hours::numeric) FILTER (WHERE kind = 'session'), 0), coalesce(sum(sign) FILTER (WHERE kind = 'outcome'), 0)
    FROM page_changes WHERE kind IN ('session', 'outcome') GROUP BY 1, 2
    ON CONFLICT (engagement_id, month) DO UPDATE SET sessions = counts_monthly.sessions + excluded.sessions,
        hours = counts_monthly.hours + excluded.hours, outcomes = counts_monthly.outcomes + excluded.outcomes
)
INSERT INTO counts_known (engagement_id, stretch, sessions, hours, outcomes)
SELECT m.engagement_id, m.stretch, coalesce(l.sessions, 0) + sum(m.sessions) OVER running,
    coalesce(l.hours, 0) + sum(m.hours) OVER running, coalesce(l.outcomes, 0) + sum(m.outcomes) OVER running
FROM moved m JOIN last l USING (engagement_id)
WINDOW running AS (PARTITION BY m.engagement_id ORDER BY m.stretch)
ON CONFLICT (engagement_id, stretch) DO UPDATE
    SET sessions = excluded.sessions, hours = excluded.hours, outcomes = excluded.outcomes;
