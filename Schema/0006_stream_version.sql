-- The current version of a stream: its highest stream_version, 0 when it has no events.
CREATE FUNCTION shido.stream_version(stream_id text) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT coalesce(max(e.stream_version), 0) FROM shido.events e WHERE e.stream_id = $1
$$;
