-- The text an event's hash covers (version 1), one field per line:
--
--   shido-event-v1
--   position, event_id, stream_id, stream_version, type, schema_version,
--   recorded_at (UTC, YYYY-MM-DDTHH:MI:SS.ffffffZ), data::text, metadata::text
--
-- jsonb's text form is canonical (keys sorted by length then bytes, one space after ':' and
-- ','), and no field can contain a line break (JSON escapes it; ids and types forbid it),
-- so the lines are unambiguous. docs/hash-chain.md shows how to recompute it with psql.
CREATE FUNCTION shido.event_canonical_text(e shido.events) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT concat_ws(E'\n',
        'shido-event-v1',
        e.position,
        e.event_id,
        e.stream_id,
        e.stream_version,
        e.type,
        e.schema_version,
        to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        e.data::text,
        e.metadata::text)
$$;
