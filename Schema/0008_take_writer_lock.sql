-- The writer lock, held until the transaction ends: every append takes it, so a second
-- writer (another daemon) waits instead of interleaving positions. Used by
-- shido.begin_append and by the writer's single-flight commit
-- (BEGIN; SELECT shido.take_writer_lock(); COPY …; COMMIT).
CREATE FUNCTION shido.take_writer_lock() RETURNS void
LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock(7526676540362391553)  -- 'shido' writer lock
$$;
