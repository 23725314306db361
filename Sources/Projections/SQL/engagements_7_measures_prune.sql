-- A measure that came to nothing is removed, so a pattern's members are the rows naming it.
-- Run in the generation's schema: SET search_path = shido_views_engagements_g<N>;
DELETE FROM measures m USING (SELECT DISTINCT engagement_id FROM page_deltas) touched
WHERE m.engagement_id = touched.engagement_id AND m.value = 0;
