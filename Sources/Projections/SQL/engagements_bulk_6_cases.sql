-- Built from scratch: every engagement's line in the case table and its evidence, and the
-- trade of the engagements showing both patterns; as engagements_10_pattern_trade.sql and
-- engagements_11_cases.sql keep them.
-- Run in the generation's schema: SET search_path = shido_views_engagements_g<N>;
WITH both_members AS (
    INSERT INTO both_trade (measure, value)
    SELECT m.measure, sum(m.value) FROM measures b JOIN measures m ON m.engagement_id = b.engagement_id
    WHERE b.measure = 'pattern both' AND m.measure LIKE 'trade %'
    GROUP BY m.measure HAVING sum(m.value) <> 0
), figures AS (
    SELECT engagement_id,
        coalesce(sum(value) FILTER (WHERE measure = 'sessions'), 0) AS sessions,
        trim_scale(coalesce(sum(value) FILTER (WHERE measure = 'hours'), 0)) AS hours,
        coalesce(json_agg(split_part(measure, ' ', 2) || ' ' || trim_scale(value) || ' ' || split_part(measure, ' ', 3)
                          ORDER BY split_part(measure, ' ', 2) || ' ' || trim_scale(value) || ' ' || split_part(measure, ' ', 3))
                 FILTER (WHERE measure LIKE 'trade %'), '[]') AS trade,
        coalesce(array_agg(substr(measure, length('pattern ') + 1) ORDER BY measure) FILTER (WHERE measure LIKE 'pattern %'), '{}')
            AS patterns
    FROM measures GROUP BY engagement_id
), evidence AS (
    SELECT engagement_id,
        coalesce(json_agg(json_build_object(
                     'direction', direction, 'from', entry_date, 'to', end_date, 'counterparty', counterparty,
                     'product', label, 'value', value, 'currency', currency) ORDER BY entry_date, entry)
                 FILTER (WHERE kind = 'trade'), '[]') AS flows,
        coalesce(json_agg(json_build_object('kind', outcome_kind, 'date', entry_date, 'description', label) ORDER BY entry_date, entry)
                 FILTER (WHERE kind = 'outcome'), '[]') AS outcomes,
        coalesce(json_agg(label ORDER BY entry_date, entry) FILTER (WHERE kind = 'outcome' AND nth <= 3), '[]') AS first_outcomes
    FROM (
        SELECT n.*, row_number() OVER (PARTITION BY engagement_id, kind ORDER BY entry_date, entry) AS nth
        FROM entries n WHERE n.recorded_until IS NULL AND n.kind IN ('trade', 'outcome')
    ) n
    GROUP BY engagement_id
)
INSERT INTO cases (engagement_id, sessions, hours, first_outcomes, trade, patterns, flows, outcomes)
SELECT g.engagement_id, coalesce(f.sessions, 0), coalesce(f.hours, 0), coalesce(e.first_outcomes, '[]'), coalesce(f.trade, '[]'),
    coalesce(f.patterns, '{}'), coalesce(e.flows, '[]'), coalesce(e.outcomes, '[]')
FROM engagements g
LEFT JOIN figures f ON f.engagement_id = g.engagement_id
LEFT JOIN evidence e ON e.engagement_id = g.engagement_id
WHERE g.recorded_until IS NULL;
