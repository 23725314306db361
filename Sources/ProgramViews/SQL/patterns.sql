-- patterns, general form: per pattern (shido.patterns over each engagement's flows in
-- force), how many engagements show it, their trade, and the first cases with their
-- evidence (the flows that establish it, the outcomes); as of a business date by what was
-- known at a log position
-- (patterns_now.sql answers "now" from the measures, with the same rows).
-- Parameters: $1 as-of date or NULL, $2 known-at position or NULL (now), $3 the most cases
-- listed per pattern (counts and values always cover all), $4 program year, $5 industry
-- (NULL: any; shido.engagements_in_scope).
-- Run with the generations on the search_path, e.g.
--   SET search_path = shido_views_engagements_g1, shido_views_directory_g1, shido;
--   PREPARE v AS <this file>; EXECUTE v(...);
WITH e AS (SELECT * FROM shido.engagements_in_scope($1, $2, $4::integer, $5::text)),
kinds (pattern, ord, direction) AS (
    VALUES ('productionStabilisation', 1, 'koreaToJapan'), ('salesToJapaneseExports', 2, 'japanToKorea'),
           ('both', 3, NULL), ('neither', 4, NULL)
), flows AS MATERIALIZED (
    SELECT * FROM shido.engagement_trade($1, $2)
), membership AS MATERIALIZED (
    -- an engagement's patterns are those of its flows' directions (shido.patterns)
    SELECT p.pattern, e.engagement_id
    FROM e
    LEFT JOIN (SELECT engagement_id, bool_or(direction = 'koreaToJapan') AS korea_to_japan,
                   bool_or(direction = 'japanToKorea') AS japan_to_korea
               FROM flows GROUP BY engagement_id) f USING (engagement_id)
    CROSS JOIN LATERAL unnest(shido.patterns(coalesce(f.korea_to_japan, false), coalesce(f.japan_to_korea, false))) AS p (pattern)
), members AS MATERIALIZED (
    SELECT pattern, count(*) AS engagements FROM membership GROUP BY pattern
), pattern_trade AS MATERIALIZED (
    -- each flow total counts for the patterns its engagement shows (hashed: a few rows per
    -- engagement), in the direction a pattern is about
    SELECT k.ord, fl.direction, fl.currency, sum(fl.total) AS total
    FROM flows fl
    JOIN membership mb USING (engagement_id)
    JOIN kinds k ON k.pattern = mb.pattern AND (k.direction IS NULL OR fl.direction = k.direction)
    GROUP BY k.ord, fl.direction, fl.currency
)
SELECT json_agg(json_build_object(
    'pattern', k.pattern,
    'engagements', coalesce((SELECT m.engagements FROM members m WHERE m.pattern = k.pattern), 0),
    'trade', (SELECT coalesce(json_agg(t.direction || ' ' || trim_scale(t.total) || ' ' || t.currency
                                       ORDER BY t.direction || ' ' || trim_scale(t.total) || ' ' || t.currency), '[]')
              FROM pattern_trade t WHERE t.ord = k.ord),
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
