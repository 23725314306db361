-- Stored tree nodes of runs of indexes at given levels, in (level, index) order.
-- Parameters: $1 the runs' levels, $2 their first indexes, $3 their last (same length).
-- Run in the generation's schema: SET search_path = shido_views_tree_g<N>;
SELECT n.level, n.index, n.hash
FROM unnest($1::smallint[], $2::bigint[], $3::bigint[]) AS r (level, first, last)
CROSS JOIN LATERAL (
    SELECT level, index, hash FROM tree_nodes WHERE level = r.level AND index BETWEEN r.first AND r.last OFFSET 0
) AS n
ORDER BY n.level, n.index;
