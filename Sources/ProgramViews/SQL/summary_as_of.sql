-- summary as of a business date, as known now: each measure's whole years before the
-- date's year plus that year's days up to the date, from the totals by date.
-- Parameters: $1 as-of date; $2, $3 and $4 are always NULL here.
-- Run with the generations on the search_path, e.g.
--   SET search_path = shido_views_engagements_g1, shido_views_directory_g1, shido;
--   PREPARE v AS <this file>; EXECUTE v(...);
WITH t AS (
    SELECT measure, sum(value) AS value FROM (
        SELECT measure, value FROM yearly WHERE year < extract(year FROM $1::date) AND $2::bigint IS NULL
            AND $3::integer IS NULL AND $4::text IS NULL
        UNION ALL
        SELECT measure, value FROM daily
        WHERE day >= date_trunc('year', $1::date)::date AND day <= $1::date AND $2::bigint IS NULL
    ) parts GROUP BY measure
), fixed (ord, measure) AS (VALUES
    (1, 'engagements'), (2, 'engagements active'), (3, 'engagements completed'), (4, 'companies'), (5, 'engineers'),
    (6, 'sessions'), (7, 'hours'), (8, 'outcomes'), (11, 'pattern productionStabilisation'),
    (12, 'pattern salesToJapaneseExports'), (13, 'pattern both'), (14, 'pattern neither'))
SELECT coalesce(json_agg(json_build_object('measure', measure, 'value', trim_scale(coalesce(value, 0))) ORDER BY ord, measure), '[]')
FROM (
    SELECT fixed.ord, fixed.measure, t.value FROM fixed LEFT JOIN t USING (measure)
    UNION ALL SELECT 9, measure, value FROM t WHERE measure LIKE 'outcomes %' AND value <> 0
    UNION ALL SELECT 10, measure, value FROM t WHERE measure LIKE 'trade %' AND value <> 0
) measures
