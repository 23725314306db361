-- The event log: one row per event, in one global order.
--
-- position        gapless and commit-ordered (1, 2, 3, …), assigned by the single writer
-- event_id        chosen by the client; a retry with the same id is recognised
-- stream_id       the entity the event belongs to (e.g. engagement-…)
-- stream_version  1, 2, 3, … within the stream (optimistic concurrency)
-- prev_hash, hash the hash chain: hash = sha256(prev_hash || canonical text), see
--                 shido.event_hash and docs/hash-chain.md
--
-- stream_id and type are ASCII identifiers: byte order (COLLATE "C") is right for them and
-- keeps their index insertions cheap whatever the database's default collation.
CREATE TABLE shido.events (
    position       bigint      PRIMARY KEY CHECK (position > 0),
    event_id       uuid        NOT NULL UNIQUE,
    stream_id      text        COLLATE "C" NOT NULL CHECK (stream_id <> ''),
    stream_version bigint      NOT NULL CHECK (stream_version > 0),
    type           text        COLLATE "C" NOT NULL CHECK (type <> ''),
    schema_version integer     NOT NULL CHECK (schema_version > 0),
    data           jsonb       NOT NULL,
    metadata       jsonb       NOT NULL,
    recorded_at    timestamptz NOT NULL,
    prev_hash      bytea       NOT NULL CHECK (octet_length(prev_hash) = 32),
    hash           bytea       NOT NULL CHECK (octet_length(hash) = 32),
    UNIQUE (stream_id, stream_version)
);

CREATE INDEX events_type_position ON shido.events (type, position);

GRANT SELECT, INSERT ON shido.events TO shido_app;
