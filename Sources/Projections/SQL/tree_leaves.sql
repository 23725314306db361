-- The chain hashes of runs of positions, in position order: the leaves' data.
-- Parameters: $1 the runs' first positions, $2 their last (same length).
SELECT e.position, e.hash
FROM unnest($1::bigint[], $2::bigint[]) AS r (first, last)
JOIN shido.events e ON e.position BETWEEN r.first AND r.last
ORDER BY e.position;
