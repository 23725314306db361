-- What a page changes in each engagement's measures, at the position of each change: what
-- every opened and closed version counts (shido.change_measures), and the engagement
-- joining or leaving a pattern when its flows of either direction appear or disappear.
-- Reads page_changes and the measures as they stood before the page.
-- Run in the generation's schema: SET search_path = shido_views_engagements_g<N>;
WITH counted AS (
    SELECT c.engagement_id, c.position, m.measure, sum(c.sign * m.amount) AS amount
    FROM page_changes c
    CROSS JOIN LATERAL shido.change_measures(c.kind, c.hours, c.outcome_kind, c.direction, c.currency, c.value) AS m
    GROUP BY c.engagement_id, c.position, m.measure
), steps AS (
    SELECT engagement_id, position,
        sum(amount) FILTER (WHERE measure = 'flows koreaToJapan') AS korea_to_japan,
        sum(amount) FILTER (WHERE measure = 'flows japanToKorea') AS japan_to_korea,
        bool_or(measure = 'engagements') AS starts
    FROM counted WHERE measure IN ('flows koreaToJapan', 'flows japanToKorea', 'engagements')
    GROUP BY engagement_id, position
), running AS (
    SELECT s.engagement_id, s.position, s.starts,
        coalesce(k.value, 0) + sum(coalesce(s.korea_to_japan, 0)) OVER per_engagement AS korea_to_japan,
        coalesce(j.value, 0) + sum(coalesce(s.japan_to_korea, 0)) OVER per_engagement AS japan_to_korea,
        coalesce(k.value, 0) AS korea_to_japan_before, coalesce(j.value, 0) AS japan_to_korea_before,
        EXISTS (SELECT 1 FROM measures b WHERE b.engagement_id = s.engagement_id AND b.measure = 'engagements') AS existed
    FROM steps s
    LEFT JOIN measures k ON k.engagement_id = s.engagement_id AND k.measure = 'flows koreaToJapan'
    LEFT JOIN measures j ON j.engagement_id = s.engagement_id AND j.measure = 'flows japanToKorea'
    WINDOW per_engagement AS (PARTITION BY s.engagement_id ORDER BY s.position)
), memberships AS (
    SELECT engagement_id, position,
        shido.patterns(korea_to_japan > 0, japan_to_korea > 0) AS members,
        coalesce(lag(shido.patterns(korea_to_japan > 0, japan_to_korea > 0)) OVER (PARTITION BY engagement_id ORDER BY position),
                 CASE WHEN existed THEN shido.patterns(korea_to_japan_before > 0, japan_to_korea_before > 0) ELSE '{}' END)
            AS members_before
    FROM running
), turns AS (
    SELECT engagement_id, position, 'pattern ' || p AS measure, 1 AS amount
    FROM memberships, unnest(members) AS p WHERE NOT p = ANY(members_before)
    UNION ALL
    SELECT engagement_id, position, 'pattern ' || p, -1
    FROM memberships, unnest(members_before) AS p WHERE NOT p = ANY(members)
)
INSERT INTO page_deltas (engagement_id, position, measure, amount)
SELECT engagement_id, position, measure, amount FROM counted WHERE amount <> 0
UNION ALL
SELECT engagement_id, position, measure, amount FROM turns;
