-- The leaves of a page of the log: one per event, in its position's place.
-- Parameters: $1 the position the page starts after, $2 its last position.
-- Run in the generation's schema: SET search_path = shido_views_tree_g<N>;
INSERT INTO tree_nodes (level, index, hash)
SELECT 0, e.position - 1, sha256('\x00'::bytea || e.hash)
FROM shido.events e
WHERE e.position > $1 AND e.position <= $2;
