-- Outside any transaction, after a long range and while idle: the scratch tables' dead rows
-- are removed and their pages given back, so the planner, which counts their rows from their
-- size, sees them small again (autovacuum never visits temporary tables).
VACUUM page_changes, page_deltas
