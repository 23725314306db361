-- Before a generation is built from scratch in one transaction: its tables' secondary
-- indexes (those backing no constraint) are noted and dropped, to be built once over the
-- loaded rows (bulk_indexes_restore.sql) instead of row by row.
-- Run in the generation's schema: SET search_path = shido_views_<projection>_g<N>;
CREATE TEMPORARY TABLE bulk_indexes ON COMMIT DROP AS
SELECT c.relname AS name, pg_get_indexdef(x.indexrelid) AS definition
FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
WHERE c.relnamespace = current_schema()::regnamespace
    AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid);
DO $$
DECLARE index record;
BEGIN
    FOR index IN SELECT name FROM bulk_indexes LOOP
        EXECUTE format('DROP INDEX %I', index.name);
    END LOOP;
END
$$;
