-- The engagements projection's tables, created in its generation's schema
-- (SET search_path = shido_views_engagements_g<N> first).
--
-- Every row version says between which log positions it was the known one: from
-- recorded_from (the position of the event that made it) up to recorded_until (the event
-- that superseded it; NULL while it is current). Business dates stay columns. So "now" is
-- the open versions (the partial indexes), "known at P" the versions with
-- recorded_from <= P < recorded_until (shido.known_at), "as of D" a filter on the dates.

-- One version per engagement and state: started, then completed.
CREATE TABLE engagements (
    engagement_id    text    COLLATE "C" NOT NULL,
    company_code     text    COLLATE "C" NOT NULL,
    engineer_id      text    COLLATE "C" NOT NULL,
    guidance_fields  text[]  NOT NULL,
    goals            text[]  NOT NULL,
    start_date       date    NOT NULL,
    planned_end_date date,
    program_year     integer NOT NULL,
    completed_date   date,
    completion       text,
    recorded_from    bigint  NOT NULL,
    recorded_until   bigint,
    PRIMARY KEY (engagement_id, recorded_from)
);
CREATE UNIQUE INDEX engagements_now ON engagements (engagement_id) WHERE recorded_until IS NULL;
CREATE INDEX engagements_now_by_start ON engagements (start_date, engagement_id) WHERE recorded_until IS NULL;
CREATE INDEX engagements_now_by_year ON engagements (program_year, start_date, engagement_id) WHERE recorded_until IS NULL;
CREATE INDEX engagements_by_company ON engagements (company_code, recorded_from) INCLUDE (start_date);
CREATE INDEX engagements_by_engineer ON engagements (engineer_id, recorded_from) INCLUDE (start_date);

-- One version per session, outcome or trade flow and correction; a retraction closes the
-- last one. `entry` is the position of the event that first recorded it.
CREATE TABLE entries (
    entry          bigint  NOT NULL,
    engagement_id  text    COLLATE "C" NOT NULL,
    kind           text    COLLATE "C" NOT NULL,
    entry_date     date    NOT NULL,
    end_date       date,
    hours          double precision,
    outcome_kind   text    COLLATE "C",
    label          text    NOT NULL,
    counterparty   text,
    direction      text    COLLATE "C",
    currency       text    COLLATE "C",
    value          numeric,
    corrections    integer NOT NULL,
    recorded_from  bigint  NOT NULL,
    recorded_until bigint,
    PRIMARY KEY (entry, recorded_from)
);
CREATE INDEX entries_now ON entries (engagement_id, kind, entry_date, entry) WHERE recorded_until IS NULL;
CREATE INDEX entries_by_engagement ON entries (engagement_id, recorded_from);
CREATE INDEX entries_trade ON entries (recorded_from) INCLUDE (engagement_id, entry_date, direction, currency, value, recorded_until)
    WHERE kind = 'trade';

-- Each engagement's figures now (sessions, hours, outcomes by kind, trade by direction and
-- currency, flows by direction, its patterns as 1), kept by the difference each page makes.
CREATE TABLE measures (
    engagement_id text    COLLATE "C" NOT NULL,
    measure       text    COLLATE "C" NOT NULL,
    value         numeric NOT NULL,
    PRIMARY KEY (engagement_id, measure)
);
CREATE INDEX measures_by_measure ON measures (measure, engagement_id) INCLUDE (value);

-- Each engagement's line in the case table now (its figures, first three outcomes, trade
-- by direction and currency, patterns) and its evidence (flows and outcomes in force, in
-- date order), as the "now" views print them.
CREATE TABLE cases (
    engagement_id  text    COLLATE "C" PRIMARY KEY,
    sessions       numeric NOT NULL,
    hours          numeric NOT NULL,
    first_outcomes json    NOT NULL,
    trade          json    NOT NULL,
    patterns       text[]  NOT NULL,
    flows          json    NOT NULL,
    outcomes       json    NOT NULL
);

-- The trade of the engagements showing both patterns, now, by 'trade <direction> <currency>'
-- (the other patterns' trade is a program total: a Korea→Japan flow makes its engagement a
-- production-stabilisation case).
CREATE TABLE both_trade (
    measure text    COLLATE "C" PRIMARY KEY,
    value   numeric NOT NULL
);

-- The program's totals as a timeline by log position: each row is a measure's value from
-- that position on, so "known at P" is one index probe per measure.
CREATE TABLE totals (
    measure  text    COLLATE "C" NOT NULL,
    position bigint  NOT NULL,
    value    numeric NOT NULL,
    PRIMARY KEY (measure, position)
);

-- The program's totals by business date, as known now: what each day (and each year, for
-- whole years) adds, so "as of D" sums at most one year of days per measure.
CREATE TABLE daily (
    measure text    COLLATE "C" NOT NULL,
    day     date    NOT NULL,
    value   numeric NOT NULL,
    PRIMARY KEY (measure, day)
);
CREATE TABLE yearly (
    measure text    COLLATE "C" NOT NULL,
    year    integer NOT NULL,
    value   numeric NOT NULL,
    PRIMARY KEY (measure, year)
);

-- Each engagement's start and first flow in force of each direction: the dates its
-- patterns begin on (shido.pattern_days).
CREATE TABLE first_flows (
    engagement_id        text COLLATE "C" PRIMARY KEY,
    start_date           date NOT NULL,
    first_korea_to_japan date,
    first_japan_to_korea date
);
