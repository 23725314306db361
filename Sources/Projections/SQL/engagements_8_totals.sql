-- The program totals' timeline by log position: for each measure the page changed, a row
-- per position where the sum over engagements moved, holding the value from there on; and
-- the companies and engineers taking part, counted when their first engagement starts.
-- Parameters: $1 the position the page starts after.
-- Run in the generation's schema: SET search_path = shido_views_engagements_g<N>;
WITH newcomers AS (
    SELECT 'companies' AS measure, min(c.position) AS position FROM page_changes c
    WHERE c.kind = 'engagement'
        AND NOT EXISTS (SELECT 1 FROM engagements g WHERE g.company_code = c.company_code AND g.recorded_from <= $1)
    GROUP BY c.company_code
    UNION ALL
    SELECT 'engineers', min(c.position) FROM page_changes c
    WHERE c.kind = 'engagement'
        AND NOT EXISTS (SELECT 1 FROM engagements g WHERE g.engineer_id = c.engineer_id AND g.recorded_from <= $1)
    GROUP BY c.engineer_id
), moves AS (
    SELECT measure, position, sum(amount) AS amount FROM (
        SELECT measure, position, amount FROM page_deltas WHERE measure NOT LIKE 'flows %'
        UNION ALL SELECT measure, position, 1 FROM newcomers
    ) all_moves
    GROUP BY measure, position HAVING sum(amount) <> 0
), last AS MATERIALIZED (
    -- read before the first row goes in: a probe after it would walk past every new row
    SELECT m.measure, coalesce((SELECT t.value FROM totals t WHERE t.measure = m.measure ORDER BY t.position DESC LIMIT 1), 0) AS value
    FROM (SELECT DISTINCT measure FROM moves) m
)
INSERT INTO totals (measure, position, value)
SELECT moves.measure, moves.position, last.value + sum(moves.amount) OVER (PARTITION BY moves.measure ORDER BY moves.position)
FROM moves JOIN last USING (measure);
