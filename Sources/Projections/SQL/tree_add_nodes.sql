-- Adds nodes a range completed.
-- Parameters: $1 their level, $2 their indexes, $3 their hashes (same length).
-- Run in the generation's schema: SET search_path = shido_views_tree_g<N>;
INSERT INTO tree_nodes (level, index, hash)
SELECT $1::smallint, n.index, n.hash FROM unnest($2::bigint[], $3::bytea[]) AS n (index, hash);
