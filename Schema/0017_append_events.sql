-- Appends rows the writer has planned, in one statement: the writer's steady-state commit
-- (sent alone, so it is its own transaction and one round trip). It takes the writer lock,
-- then inserts the rows given column by column, every array in the same row order. The
-- rows were planned from the writer's memory of the head and of each stream's version: if
-- that memory is stale, a unique index refuses them and nothing is written.
CREATE FUNCTION shido.append_events(
    positions bigint[], event_ids uuid[], stream_ids text[], stream_versions bigint[], types text[],
    schema_versions integer[], data jsonb[], metadata jsonb[], recorded_at timestamptz[],
    prev_hashes bytea[], hashes bytea[])
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM shido.take_writer_lock();
    INSERT INTO shido.events (position, event_id, stream_id, stream_version, type, schema_version, data,
                              metadata, recorded_at, prev_hash, hash)
        SELECT * FROM unnest(positions, event_ids, stream_ids, stream_versions, types, schema_versions, data,
                             metadata, recorded_at, prev_hashes, hashes);
END
$$;
