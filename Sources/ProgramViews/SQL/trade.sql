-- trade: by period (month, quarter or year of the flow's first day) x industry x currency,
-- Korea→Japan, Japan→Korea, the balance and the number of flows.
-- Parameters: $1 as-of date or NULL, $2 known-at position or NULL (now), $3 period
-- (month, quarter, year), $4 industry, $5 program year (NULL: any; shido.engagements_in_scope).
-- Run with the generations on the search_path, e.g.
--   SET search_path = shido_views_engagements_g1, shido_views_directory_g1, shido;
--   PREPARE v AS <this file>; EXECUTE v(...);
SELECT coalesce(json_agg(json_build_object(
    'period', period, 'industry', industry, 'currency', currency, 'koreaToJapan', k2j, 'japanToKorea', j2k,
    'balance', k2j - j2k, 'flows', flows
) ORDER BY period, industry, currency), '[]') FROM (
    SELECT CASE $3::text WHEN 'month' THEN to_char(n.entry_date, 'YYYY-MM')
                         WHEN 'quarter' THEN to_char(n.entry_date, 'YYYY-"Q"Q')
                         ELSE to_char(n.entry_date, 'YYYY') END AS period,
        e.industry, n.currency,
        coalesce(sum(n.value) FILTER (WHERE n.direction = 'koreaToJapan'), 0) AS k2j,
        coalesce(sum(n.value) FILTER (WHERE n.direction = 'japanToKorea'), 0) AS j2k,
        count(*) AS flows
    FROM shido.entries_in_view($1, $2) n JOIN shido.engagements_in_scope($1, $2, $5::integer, $4::text) e USING (engagement_id)
    WHERE n.kind = 'trade'
    GROUP BY 1, 2, 3
) periods
