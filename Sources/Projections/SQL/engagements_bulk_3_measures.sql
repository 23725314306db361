-- Built from scratch: each engagement's measures from its versions in force (the started
-- engagement, each completion, every entry version open now; shido.change_measures) and
-- its patterns now, as engagements_5_deltas.sql … engagements_7_measures_prune.sql keep them.
-- Run in the generation's schema: SET search_path = shido_views_engagements_g<N>;
WITH counted AS (
    SELECT n.engagement_id, m.measure, m.amount
    FROM entries n
    CROSS JOIN LATERAL shido.change_measures(n.kind, n.hours, n.outcome_kind, n.direction, n.currency, n.value) AS m
    WHERE n.recorded_until IS NULL
    UNION ALL
    SELECT g.engagement_id, m.measure, m.amount
    FROM engagements g
    CROSS JOIN LATERAL shido.change_measures(CASE WHEN g.completed_date IS NULL THEN 'engagement' ELSE 'completion' END,
                                             NULL, NULL, NULL, NULL, NULL) AS m
), flows AS (
    -- by one pass over the flows (the build has no secondary index to probe)
    SELECT g.engagement_id, coalesce(bool_or(n.direction = 'koreaToJapan'), false) AS korea_to_japan,
        coalesce(bool_or(n.direction = 'japanToKorea'), false) AS japan_to_korea
    FROM engagements g
    LEFT JOIN entries n ON n.engagement_id = g.engagement_id AND n.kind = 'trade' AND n.recorded_until IS NULL
    WHERE g.recorded_until IS NULL
    GROUP BY g.engagement_id
)
INSERT INTO measures (engagement_id, measure, value)
SELECT engagement_id, measure, sum(amount) FROM counted GROUP BY engagement_id, measure HAVING sum(amount) <> 0
UNION ALL
SELECT f.engagement_id, 'pattern ' || p, 1 FROM flows f CROSS JOIN LATERAL unnest(shido.patterns(f.korea_to_japan, f.japan_to_korea)) AS p;
