-- The page's scratch space, once per projector session. Each range empties it as its last
-- step (engagements_13_scratch_clear.sql), inside its own transaction: ON COMMIT DELETE
-- ROWS would truncate both tables and rebuild their TOAST indexes at every commit (~0.7 ms,
-- more than a live append's range spends on its rows). The dead rows this leaves are
-- vacuumed by the runner outside any transaction (engagements_scratch_upkeep.sql).
CREATE TEMPORARY TABLE IF NOT EXISTS page_changes (
    engagement_id text    COLLATE "C" NOT NULL,
    position      bigint  NOT NULL,
    sign          integer NOT NULL,
    kind          text    COLLATE "C" NOT NULL,
    day           date    NOT NULL,
    hours         double precision,
    outcome_kind  text    COLLATE "C",
    direction     text    COLLATE "C",
    currency      text    COLLATE "C",
    value         numeric,
    company_code  text    COLLATE "C",
    engineer_id   text    COLLATE "C"
);
CREATE TEMPORARY TABLE IF NOT EXISTS page_deltas (
    engagement_id text    COLLATE "C" NOT NULL,
    position      bigint  NOT NULL,
    measure       text    COLLATE "C" NOT NULL,
    amount        numeric NOT NULL
);
-- Analysed empty, so the planner counts their rows from their size when each step is
-- planned (never analysed, it would assume ten pages: hash joins over whole tables for a
-- range holding one event).
ANALYZE page_changes;
ANALYZE page_deltas;
