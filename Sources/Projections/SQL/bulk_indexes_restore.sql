-- After a generation was built from scratch: its secondary indexes again, as they were
-- defined (bulk_indexes_drop.sql noted them), and statistics for the planner.
-- Run in the generation's schema: SET search_path = shido_views_<projection>_g<N>;
DO $$
DECLARE index record;
BEGIN
    FOR index IN SELECT definition FROM bulk_indexes LOOP
        EXECUTE index.definition;
    END LOOP;
    FOR index IN SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' LOOP
        EXECUTE format('ANALYZE %I', index.relname);
    END LOOP;
END
$$;
