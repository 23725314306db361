-- Every statement that appends events announces the new head on the channel
-- 'shido_events' (delivered at commit), so readers wake up without polling.
-- After the statement its rows are visible, so the head is one index lookup away.
CREATE FUNCTION shido.announce_appended() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('shido_events', (SELECT max(position) FROM shido.events)::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER events_announce_appended AFTER INSERT ON shido.events
    FOR EACH STATEMENT EXECUTE FUNCTION shido.announce_appended();
