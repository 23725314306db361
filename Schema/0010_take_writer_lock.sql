-- The writer lock alone, for the writer's single-flight commit
-- (BEGIN; SELECT shido.take_writer_lock(); COPY …; COMMIT), held until the transaction ends.
CREATE FUNCTION shido.take_writer_lock() RETURNS void
LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock(7526676540362391553)  -- 'shido' writer lock, as in begin_append
$$;
