-- The events, among the given ids, that are already recorded: how a retried append is
-- recognised.
CREATE FUNCTION shido.events_with_ids(event_ids uuid[])
RETURNS SETOF shido.events
LANGUAGE sql STABLE AS $$
    SELECT * FROM shido.events WHERE event_id = ANY (event_ids)
$$;
