-- Each engagement's measures move by what the page changed (page_deltas).
-- Run in the generation's schema: SET search_path = shido_views_engagements_g<N>;
INSERT INTO measures (engagement_id, measure, value)
SELECT engagement_id, measure, sum(amount) FROM page_deltas GROUP BY engagement_id, measure
ON CONFLICT (engagement_id, measure) DO UPDATE SET value = measures.value + excluded.value;
