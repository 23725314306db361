-- The range's last step: its scratch rows go with its transaction, so the next range starts
-- from empty tables (a range that fails rolls its rows back the same way).
-- Run in the generation's schema: SET search_path = shido_views_engagements_g<N>;
WITH changes AS (DELETE FROM page_changes)
DELETE FROM page_deltas
