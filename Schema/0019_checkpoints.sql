-- Signed checkpoints of the Merkle tree over the log (docs/hash-chain.md): every one the
-- daemon issued, so that an auditor can ask for the one of any size issued before. A
-- checkpoint's note is a C2SP signed note: origin, tree size, base64 root, signature.
-- Append-only, like the events.
CREATE TABLE shido.checkpoints (
    size       bigint      PRIMARY KEY CHECK (size >= 0),
    root       bytea       NOT NULL CHECK (octet_length(root) = 32),
    note       text        NOT NULL,
    issued_at  timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION shido.reject_checkpoint_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'shido.checkpoints is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER checkpoints_reject_change BEFORE UPDATE OR DELETE OR TRUNCATE ON shido.checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION shido.reject_checkpoint_change();

GRANT SELECT, INSERT ON shido.checkpoints TO shido_app;
