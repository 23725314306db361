-- Opens an append: takes the writer lock for the rest of the transaction, so that a second
-- writer (another daemon) waits instead of interleaving positions, then reports the head
-- the append extends and the time to stamp on its events.
CREATE FUNCTION shido.begin_append(
    OUT head_position bigint,
    OUT head_hash bytea,
    OUT now_micros bigint)
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7526676540362391553);  -- 'shido' writer lock
    SELECT e.position, e.hash INTO head_position, head_hash
        FROM shido.events e ORDER BY e.position DESC LIMIT 1;
    head_position := coalesce(head_position, 0);
    head_hash := coalesce(head_hash, shido.genesis_hash());
    now_micros := (extract(epoch FROM clock_timestamp()) * 1000000)::bigint;
END
$$;
