-- Every statement that appends events announces the new head on the channel
-- 'shido_events' (delivered at commit), so readers wake up without polling.
CREATE FUNCTION shido.announce_appended() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('shido_events', (SELECT max(position) FROM appended)::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER events_announce_appended AFTER INSERT ON shido.events
    REFERENCING NEW TABLE AS appended
    FOR EACH STATEMENT EXECUTE FUNCTION shido.announce_appended();
