-- The page's scratch space, once per projector session: emptied at every commit.
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
) ON COMMIT DELETE ROWS;
CREATE TEMPORARY TABLE IF NOT EXISTS page_deltas (
    engagement_id text    COLLATE "C" NOT NULL,
    position      bigint  NOT NULL,
    measure       text    COLLATE "C" NOT NULL,
    amount        numeric NOT NULL
) ON COMMIT DELETE ROWS;
-- Analysed empty, so the planner counts their rows from their size when each step is
-- planned (never analysed, it would assume ten pages: hash joins over whole tables for a
-- range holding one event).
ANALYZE page_changes;
ANALYZE page_deltas;
