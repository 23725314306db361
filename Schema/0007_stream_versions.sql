-- The current version of each named stream (NULL for a stream with no events yet).
CREATE FUNCTION shido.stream_versions(stream_ids text[])
RETURNS TABLE (stream_id text, version bigint)
LANGUAGE sql STABLE AS $$
    SELECT s.id, (SELECT max(e.stream_version) FROM shido.events e WHERE e.stream_id = s.id)
    FROM unnest(stream_ids) AS s(id)
$$;
