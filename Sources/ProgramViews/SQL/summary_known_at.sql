-- summary now, or as known at a log position (no as-of date): each measure's last value
-- at or before the position in the totals timeline, one index probe per measure.
-- Parameters: $2 known-at position or NULL (now); $1, $3 and $4 are always NULL here.
-- Run with the generations on the search_path, e.g.
--   SET search_path = shido_views_engagements_g1, shido_views_directory_g1, shido;
--   PREPARE v AS <this file>; EXECUTE v(...);
WITH RECURSIVE names AS (
    SELECT min(measure) AS measure FROM totals
    UNION ALL
    SELECT (SELECT min(t.measure) FROM totals t WHERE t.measure > names.measure) FROM names WHERE names.measure IS NOT NULL
), t AS (
    SELECT names.measure, (SELECT v.value FROM totals v WHERE v.measure = names.measure
                           AND v.position <= coalesce($2::bigint, 9223372036854775807) AND $1::date IS NULL
                           AND $3::integer IS NULL AND $4::text IS NULL
                           ORDER BY v.position DESC LIMIT 1) AS value
    FROM names WHERE names.measure IS NOT NULL
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
