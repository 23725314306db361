-- A measure that came to nothing is removed, so a pattern's members are the rows naming it.
-- Only the measures the page moved are looked at (by key: a live range touches a few).
-- Run in the generation's schema: SET search_path = shido_views_engagements_g<N>;
DELETE FROM measures m USING (SELECT DISTINCT engagement_id, measure FROM page_deltas) moved
WHERE m.engagement_id = moved.engagement_id AND m.measure = moved.measure AND m.value = 0;
