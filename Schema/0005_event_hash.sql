-- An event's link in the hash chain: sha256(previous hash || canonical text as UTF-8).
-- The first event's previous hash is 32 zero bytes.
CREATE FUNCTION shido.event_hash(e shido.events) RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT sha256(e.prev_hash || convert_to(shido.event_canonical_text(e), 'UTF8'))
$$;

CREATE FUNCTION shido.genesis_hash() RETURNS bytea
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT decode(repeat('00', 32), 'hex')
$$;
