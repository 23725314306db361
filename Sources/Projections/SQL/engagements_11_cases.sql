-- Each touched engagement's line in the case table and its evidence, as they stand after
-- the page: what engagements_now.sql and patterns_now.sql print for it, made once here
-- instead of at every request (json keeps the keys in the order written).
-- Run in the generation's schema: SET search_path = shido_views_engagements_g<N>;
INSERT INTO cases (engagement_id, sessions, hours, first_outcomes, trade, patterns, flows, outcomes)
SELECT t.engagement_id,
    coalesce((SELECT m.value FROM measures m WHERE m.engagement_id = t.engagement_id AND m.measure = 'sessions'), 0),
    trim_scale(coalesce((SELECT m.value FROM measures m WHERE m.engagement_id = t.engagement_id AND m.measure = 'hours'), 0)),
    (SELECT coalesce(json_agg(firsts.label ORDER BY firsts.entry_date, firsts.entry), '[]') FROM (
         SELECT n.label, n.entry_date, n.entry FROM entries n
         WHERE n.engagement_id = t.engagement_id AND n.kind = 'outcome' AND n.recorded_until IS NULL
         ORDER BY n.entry_date, n.entry LIMIT 3) firsts),
    (SELECT coalesce(json_agg(texts.t ORDER BY texts.t), '[]') FROM (
         SELECT split_part(m.measure, ' ', 2) || ' ' || trim_scale(m.value) || ' ' || split_part(m.measure, ' ', 3) AS t
         FROM measures m WHERE m.engagement_id = t.engagement_id AND m.measure LIKE 'trade %') texts),
    ARRAY(SELECT substr(m.measure, length('pattern ') + 1) FROM measures m
          WHERE m.engagement_id = t.engagement_id AND m.measure LIKE 'pattern %' ORDER BY m.measure),
    (SELECT coalesce(json_agg(json_build_object(
                 'direction', n.direction, 'from', n.entry_date, 'to', n.end_date, 'counterparty', n.counterparty,
                 'product', n.label, 'value', n.value, 'currency', n.currency) ORDER BY n.entry_date, n.entry), '[]')
     FROM entries n WHERE n.engagement_id = t.engagement_id AND n.kind = 'trade' AND n.recorded_until IS NULL),
    (SELECT coalesce(json_agg(json_build_object(
                 'kind', n.outcome_kind, 'date', n.entry_date, 'description', n.label) ORDER BY n.entry_date, n.entry), '[]')
     FROM entries n WHERE n.engagement_id = t.engagement_id AND n.kind = 'outcome' AND n.recorded_until IS NULL)
FROM (SELECT DISTINCT engagement_id FROM page_changes) t
ON CONFLICT (engagement_id) DO UPDATE
    SET sessions = excluded.sessions, hours = excluded.hours, first_outcomes = excluded.first_outcomes,
        trade = excluded.trade, patterns = excluded.patterns, flows = excluded.flows, outcomes = excluded.outcomes;
