-- Opens an append, in one round trip. It takes the writer lock for the rest of the
-- transaction (a second writer, e.g. another daemon, waits instead of interleaving
-- positions), then reports everything the writer needs to plan the group commit:
--   head_position, head_hash  the head the append extends (0 and the genesis hash if empty)
--   stream_versions           the current version of each of stream_ids, same order (0 if new)
--   recorded                  the events among event_ids already in the log (retries)
CREATE FUNCTION shido.begin_append(
    stream_ids text[],
    event_ids uuid[],
    OUT head_position bigint,
    OUT head_hash bytea,
    OUT stream_versions bigint[],
    OUT recorded jsonb)
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM shido.take_writer_lock();
    SELECT e.position, e.hash INTO head_position, head_hash
        FROM shido.events e ORDER BY e.position DESC LIMIT 1;
    head_position := coalesce(head_position, 0);
    head_hash := coalesce(head_hash, shido.genesis_hash());
    stream_versions := ARRAY(
        SELECT shido.stream_version(s.id) FROM unnest(stream_ids) WITH ORDINALITY AS s(id, n) ORDER BY s.n);
    recorded := (
        SELECT coalesce(jsonb_agg(jsonb_build_object(
            'position', e.position, 'eventID', e.event_id, 'streamID', e.stream_id,
            'streamVersion', e.stream_version, 'type', e.type, 'schemaVersion', e.schema_version,
            'data', e.data)), '[]')
        FROM shido.events_with_ids(event_ids) e);
END
$$;
