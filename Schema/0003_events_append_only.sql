-- The event log is append-only, for everyone, the table owner included.
-- Statement-level triggers, so that even an UPDATE or DELETE matching no row is refused.
CREATE FUNCTION shido.reject_event_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'shido.events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'restrict_violation',
              HINT = 'Record a correction or a retraction event instead.';
END
$$;

CREATE TRIGGER events_reject_update BEFORE UPDATE ON shido.events
    FOR EACH STATEMENT EXECUTE FUNCTION shido.reject_event_change();

CREATE TRIGGER events_reject_delete BEFORE DELETE ON shido.events
    FOR EACH STATEMENT EXECUTE FUNCTION shido.reject_event_change();

CREATE TRIGGER events_reject_truncate BEFORE TRUNCATE ON shido.events
    FOR EACH STATEMENT EXECUTE FUNCTION shido.reject_event_change();
