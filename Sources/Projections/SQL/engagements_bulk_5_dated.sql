-- Built from scratch: each engagement's first flows in force, and the program totals by
-- business date as known now: what every version in force counts on the day it counts
-- from (never before its engagement started), the days patterns begin on
-- (shido.pattern_days) and the first start of each company and engineer; as
-- engagements_9_dated.sql keeps them.
-- Run in the generation's schema: SET search_path = shido_views_engagements_g<N>;
WITH saved AS (
    INSERT INTO first_flows (engagement_id, start_date, first_korea_to_japan, first_japan_to_korea)
    SELECT g.engagement_id, g.start_date,
        min(n.entry_date) FILTER (WHERE n.direction = 'koreaToJapan'), min(n.entry_date) FILTER (WHERE n.direction = 'japanToKorea')
    FROM engagements g
    LEFT JOIN entries n ON n.engagement_id = g.engagement_id AND n.kind = 'trade' AND n.recorded_until IS NULL
    WHERE g.recorded_until IS NULL
    GROUP BY g.engagement_id, g.start_date
    RETURNING *
), moves AS (
    SELECT measure, day, sum(amount) AS amount FROM (
        SELECT m.measure, greatest(n.entry_date, g.start_date) AS day, m.amount
        FROM entries n
        JOIN engagements g ON g.engagement_id = n.engagement_id AND g.recorded_until IS NULL
        CROSS JOIN LATERAL shido.change_measures(n.kind, n.hours, n.outcome_kind, n.direction, n.currency, n.value) AS m
        WHERE n.recorded_until IS NULL AND m.measure NOT LIKE 'flows %'
        UNION ALL
        SELECT m.measure, greatest(coalesce(v.completed_date, v.start_date), g.start_date), m.amount
        FROM engagements v
        JOIN engagements g ON g.engagement_id = v.engagement_id AND g.recorded_until IS NULL
        CROSS JOIN LATERAL shido.change_measures(CASE WHEN v.completed_date IS NULL THEN 'engagement' ELSE 'completion' END,
                                                 NULL, NULL, NULL, NULL, NULL) AS m
        UNION ALL
        SELECT 'pattern ' || p.pattern, p.day, p.delta
        FROM saved f CROSS JOIN LATERAL shido.pattern_days(f.start_date, f.first_korea_to_japan, f.first_japan_to_korea) AS p
        UNION ALL
        SELECT 'companies', min(start_date), 1 FROM engagements GROUP BY company_code
        UNION ALL
        SELECT 'engineers', min(start_date), 1 FROM engagements GROUP BY engineer_id
    ) all_moves
    GROUP BY measure, day HAVING sum(amount) <> 0
), by_year AS (
    INSERT INTO yearly (measure, year, value)
    SELECT measure, extract(year FROM day)::integer, sum(amount) FROM moves GROUP BY 1, 2
)
INSERT INTO daily (measure, day, value)
SELECT measure, day, amount FROM moves;
