-- patterns, general form: per pattern (shido.patterns), how many engagements show it, their
-- trade, and the first cases with their evidence (the flows that establish it, the
-- outcomes); as of a business date by what was known at a log position
-- (patterns_now.sql answers "now" from the measures, with the same rows).
-- Parameters: $1 as-of date or NULL, $2 known-at position or NULL (now), $3 the most cases
-- listed per pattern (counts and values always cover all).
-- Run with the generations on the search_path, e.g.
--   SET search_path = shido_views_engagements_g1, shido_views_directory_g1, shido;
--   PREPARE v AS <this file>; EXECUTE v(...);
WITH e AS (SELECT * FROM shido.engagements_in_view($1, $2)),
kinds (pattern, ord, direction) AS (
    VALUES ('productionStabilisation', 1, 'koreaToJapan'), ('salesToJapaneseExports', 2, 'japanToKorea'),
           ('both', 3, NULL), ('neither', 4, NULL)
), membership AS (
    SELECT k.pattern, f.engagement_id FROM engagement_facts($1, $2) f JOIN kinds k ON k.pattern = ANY(f.patterns)
), flows AS (
    SELECT engagement_id, direction, currency, sum(value) AS total FROM shido.entries_in_view($1, $2) WHERE kind = 'trade'
    GROUP BY engagement_id, direction, currency
)
SELECT json_agg(json_build_object(
    'pattern', k.pattern,
    'engagements', (SELECT count(*) FROM membership m WHERE m.pattern = k.pattern),
    'trade', (SELECT coalesce(json_agg(t ORDER BY t), '[]') FROM (
        SELECT fl.direction || ' ' || trim_scale(sum(fl.total)) || ' ' || fl.currency AS t
        FROM membership m JOIN flows fl USING (engagement_id)
        WHERE m.pattern = k.pattern AND (k.direction IS NULL OR fl.direction = k.direction)
        GROUP BY fl.direction, fl.currency) totals),
    'cases', (SELECT coalesce(json_agg(json_build_object(
        'engagement', m.engagement_id, 'company', e.company_name,
        'flows', (SELECT coalesce(json_agg(json_build_object(
                      'direction', n.direction, 'from', n.entry_date, 'to', n.end_date, 'counterparty', n.counterparty,
                      'product', n.label, 'value', n.value, 'currency', n.currency) ORDER BY n.entry_date, n.entry), '[]')
                  FROM shido.entries_in_view($1, $2) n WHERE n.engagement_id = m.engagement_id AND n.kind = 'trade'
                      AND (k.direction IS NULL OR n.direction = k.direction)),
        'outcomes', (SELECT coalesce(json_agg(json_build_object(
                         'kind', n.outcome_kind, 'date', n.entry_date, 'description', n.label) ORDER BY n.entry_date, n.entry), '[]')
                     FROM shido.entries_in_view($1, $2) n WHERE n.engagement_id = m.engagement_id AND n.kind = 'outcome')
        ) ORDER BY m.engagement_id), '[]')
        FROM (SELECT mm.engagement_id FROM membership mm WHERE mm.pattern = k.pattern ORDER BY mm.engagement_id LIMIT $3) m
        JOIN e USING (engagement_id))
) ORDER BY k.ord) FROM kinds k
