-- Projections: read models derived from the log, each with its own tables and checkpoint.
--
-- shido.projections      one row per projection: the generation queries read (its tables
--                        are shido_views.<table>_g<generation>), the code version that built
--                        it, and its failure, if it stopped on an event
-- shido.projection_checkpoints
--                        the last applied position of each generation; a projector writes
--                        its rows and this row in one transaction (never skips, never
--                        applies twice)
--
-- A rebuild fills generation N+1 from position 0 while queries read N, then flips
-- `generation` in one transaction. The daemon's role creates and drops only the tables of
-- shido_views; the event log stays append-only.
CREATE SCHEMA shido_views;
GRANT USAGE, CREATE ON SCHEMA shido_views TO shido_app;

CREATE TABLE shido.projections (
    name             text        COLLATE "C" PRIMARY KEY,
    generation       integer     NOT NULL CHECK (generation > 0),
    code_version     integer     NOT NULL,
    rebuilding       integer     CHECK (rebuilding > generation),
    rebuild_requested boolean    NOT NULL DEFAULT false,
    failed_position  bigint,
    failed_event_id  uuid,
    failure          text,
    failed_at        timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE shido.projection_checkpoints (
    name         text    COLLATE "C" NOT NULL,
    generation   integer NOT NULL,
    code_version integer NOT NULL,
    position     bigint  NOT NULL CHECK (position >= 0),
    PRIMARY KEY (name, generation)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON shido.projections, shido.projection_checkpoints TO shido_app;
