-- The chain hashes of runs of positions, in position order: the leaves' data.
-- Parameters: $1 the runs' first positions, $2 their last (same length).
-- One index range scan per run (LATERAL, OFFSET 0 keeps it from being flattened into a
-- join that a generic plan would make a scan of the whole log).
SELECT e.position, e.hash
FROM unnest($1::bigint[], $2::bigint[]) AS r (first, last)
CROSS JOIN LATERAL (
    SELECT position, hash FROM shido.events WHERE position BETWEEN r.first AND r.last OFFSET 0
) AS e
ORDER BY e.position;
