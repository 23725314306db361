-- The program totals by business date, as known now: what the page's versions add to or
-- take from the day they count from (an entry counts from its date, but never before its
-- engagement started), the days patterns begin on (shido.pattern_days over each touched
-- engagement's first flows, before and after), and the first start of each company and
-- engineer. Day rows and year rows move together. Keeps first_flows current.
-- Parameters: $1 the position the page starts after.
-- Run in the generation's schema: SET search_path = shido_views_engagements_g<N>;
WITH touched AS (
    SELECT DISTINCT engagement_id FROM page_changes WHERE kind IN ('trade', 'engagement')
), old AS (
    SELECT f.* FROM first_flows f JOIN touched USING (engagement_id)
), new AS (
    SELECT t.engagement_id, g.start_date,
        (SELECT min(n.entry_date) FROM entries n WHERE n.engagement_id = t.engagement_id AND n.kind = 'trade'
            AND n.direction = 'koreaToJapan' AND n.recorded_until IS NULL) AS first_korea_to_japan,
        (SELECT min(n.entry_date) FROM entries n WHERE n.engagement_id = t.engagement_id AND n.kind = 'trade'
            AND n.direction = 'japanToKorea' AND n.recorded_until IS NULL) AS first_japan_to_korea
    FROM touched t JOIN engagements g ON g.engagement_id = t.engagement_id AND g.recorded_until IS NULL
), saved AS (
    INSERT INTO first_flows (engagement_id, start_date, first_korea_to_japan, first_japan_to_korea)
    SELECT engagement_id, start_date, first_korea_to_japan, first_japan_to_korea FROM new
    ON CONFLICT (engagement_id) DO UPDATE
        SET first_korea_to_japan = excluded.first_korea_to_japan, first_japan_to_korea = excluded.first_japan_to_korea
), newcomers AS (
    SELECT 'companies' AS measure, c.code, 
        (SELECT min(g.start_date) FROM engagements g WHERE g.company_code = c.code AND g.recorded_from <= $1) AS before,
        (SELECT min(g.start_date) FROM engagements g WHERE g.company_code = c.code) AS after
    FROM (SELECT DISTINCT company_code AS code FROM page_changes WHERE kind = 'engagement') c
    UNION ALL
    SELECT 'engineers', c.code,
        (SELECT min(g.start_date) FROM engagements g WHERE g.engineer_id = c.code AND g.recorded_from <= $1),
        (SELECT min(g.start_date) FROM engagements g WHERE g.engineer_id = c.code)
    FROM (SELECT DISTINCT engineer_id AS code FROM page_changes WHERE kind = 'engagement') c
), moves AS (
    SELECT measure, day, sum(amount) AS amount FROM (
        SELECT m.measure, greatest(c.day, g.start_date) AS day, c.sign * m.amount AS amount
        FROM page_changes c
        JOIN engagements g ON g.engagement_id = c.engagement_id AND g.recorded_until IS NULL
        CROSS JOIN LATERAL shido.change_measures(c.kind, c.hours, c.outcome_kind, c.direction, c.currency, c.value) AS m
        WHERE m.measure NOT LIKE 'flows %'
        UNION ALL
        SELECT 'pattern ' || p.pattern, p.day, p.delta
        FROM new CROSS JOIN LATERAL shido.pattern_days(new.start_date, new.first_korea_to_japan, new.first_japan_to_korea) AS p
        UNION ALL
        SELECT 'pattern ' || p.pattern, p.day, -p.delta
        FROM old CROSS JOIN LATERAL shido.pattern_days(old.start_date, old.first_korea_to_japan, old.first_japan_to_korea) AS p
        UNION ALL
        SELECT measure, d.day, d.delta FROM newcomers
        CROSS JOIN LATERAL (VALUES (newcomers.before, -1), (newcomers.after, 1)) AS d (day, delta)
        WHERE newcomers.before IS DISTINCT FROM newcomers.after AND d.day IS NOT NULL
    ) all_moves
    GROUP BY measure, day HAVING sum(amount) <> 0
), by_year AS (
    INSERT INTO yearly (measure, year, value)
    SELECT measure, extract(year FROM day)::integer, sum(amount) FROM moves GROUP BY 1, 2
    ON CONFLICT (measure, year) DO UPDATE SET value = yearly.value + excluded.value
)
INSERT INTO daily (measure, day, value)
SELECT measure, day, amount FROM moves
ON CONFLICT (measure, day) DO UPDATE SET value = daily.value + excluded.value;
