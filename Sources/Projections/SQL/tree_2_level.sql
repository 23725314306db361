-- The nodes of one level that a page completed: node (level, i) is complete once both of
-- its children are, and new when the page holds its last leaf.
-- Parameters: $1 the level (1 and up), $2 and $3 the first and last new node's index.
-- Run in the generation's schema: SET search_path = shido_views_tree_g<N>;
INSERT INTO tree_nodes (level, index, hash)
SELECT $1::smallint, l.index / 2, sha256('\x01'::bytea || l.hash || r.hash)
FROM tree_nodes l
JOIN tree_nodes r ON r.level = l.level AND r.index = l.index + 1
WHERE l.level = $1::smallint - 1 AND l.index >= 2 * $2::bigint AND l.index <= 2 * $3::bigint AND l.index % 2 = 0;
