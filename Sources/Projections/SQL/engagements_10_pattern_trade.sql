-- The trade of the engagements showing both patterns, now, kept by the difference the page
-- makes: what each touched engagement counted before the page (its measures less the
-- page's deltas) leaves, what it counts after comes in, each as a member of "both" then.
-- Reads page_deltas and the measures as they stand after the page.
-- Run in the generation's schema: SET search_path = shido_views_engagements_g<N>;
WITH moved AS (
    SELECT engagement_id, measure, sum(amount) AS amount FROM page_deltas
    WHERE measure LIKE 'trade %' OR measure = 'pattern both'
    GROUP BY engagement_id, measure
), current AS (
    SELECT m.engagement_id, m.measure, m.value FROM measures m
    WHERE m.engagement_id IN (SELECT engagement_id FROM moved) AND (m.measure LIKE 'trade %' OR m.measure = 'pattern both')
), states AS (
    SELECT engagement_id, measure, coalesce(c.value, 0) AS after, coalesce(c.value, 0) - coalesce(moved.amount, 0) AS before
    FROM current c FULL JOIN moved USING (engagement_id, measure)
), members AS (
    SELECT engagement_id,
        coalesce(bool_or(measure = 'pattern both' AND after = 1), false) AS after,
        coalesce(bool_or(measure = 'pattern both' AND before = 1), false) AS before
    FROM states GROUP BY engagement_id
), changes AS (
    SELECT s.measure, sum(CASE WHEN m.after THEN s.after ELSE 0 END - CASE WHEN m.before THEN s.before ELSE 0 END) AS amount
    FROM states s JOIN members m USING (engagement_id)
    WHERE s.measure LIKE 'trade %'
    GROUP BY s.measure
)
INSERT INTO both_trade (measure, value)
SELECT measure, amount FROM changes WHERE amount <> 0
ON CONFLICT (measure) DO UPDATE SET value = both_trade.value + excluded.value;
