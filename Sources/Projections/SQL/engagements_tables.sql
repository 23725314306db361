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
-- The sessions and outcomes a stretch of the log opened or closed, and those in force now
-- by date: what engagement_facts adds to the counts below for the last stretch or month.
CREATE INDEX entries_opened ON entries (recorded_from) INCLUDE (engagement_id, kind, hours) WHERE kind <> 'trade';
CREATE INDEX entries_closed ON entries (recorded_until) INCLUDE (engagement_id, kind, hours)
    WHERE kind <> 'trade' AND recorded_until IS NOT NULL;
CREATE INDEX entries_now_by_date ON entries (entry_date) INCLUDE (engagement_id, kind, hours)
    WHERE kind <> 'trade' AND recorded_until IS NULL;

-- Each engagement's figures now (sessions, hours, outcomes by kind, trade by direction and
-- currency, flows by direction, its patterns as 1), kept by the difference each page makes.
CREATE TABLE measures (
    engagement_id text    COLLATE "C" NOT NULL,
    measure       text    COLLATE "C" NOT NULL,
    value         numeric NOT NULL,
    PRIMARY KEY (engagement_id, measure)
);
CREATE INDEX measures_by_measure ON measures (measure, engagement_id) INCLUDE (value);

-- Each engagement's sessions, hours and outcomes as known at the end of every stretch of
-- the log in which they changed (stretch = position / counts_stretch.length): known at P,
-- they are its last row before P's stretch plus what P's stretch opened and closed up to P.
CREATE TABLE counts_stretch (length bigint NOT NULL CHECK (length > 0));
INSERT INTO counts_stretch (length) VALUES (1024);
ANALYZE counts_stretch;
CREATE TABLE counts_known (
    engagement_id text    COLLATE "C" NOT NULL,
    stretch       bigint  NOT NULL,
    sessions      bigint  NOT NULL,
    hours         numeric NOT NULL,
    outcomes      bigint  NOT NULL,
    PRIMARY KEY (engagement_id, stretch)
);

-- Each engagement's sessions, hours and outcomes dated in each month, as known now: as of
-- D, they are its months before D's plus the entries of D's month up to D.
CREATE TABLE counts_monthly (
    engagement_id text    COLLATE "C" NOT NULL,
    month         date    NOT NULL,
    sessions      bigint  NOT NULL,
    hours         numeric NOT NULL,
    outcomes      bigint  NOT NULL,
    PRIMARY KEY (engagement_id, month)
);

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

-- What a view counts of each engagement (the rows of shido.engagement_facts), from the
-- counts above instead of from every entry: known at a position (no date), as of a date
-- (known now), and now; both cut-offs together fall to shido's general definition. Views
-- name it unqualified: a generation's own comes first on the search path, before shido's
-- (a view's general form puts shido first, and a generation made before this one has none).
CREATE FUNCTION engagement_facts(as_of date, known_at bigint) RETURNS SETOF shido.view_facts
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT e.engagement_id, (coalesce(k.sessions, 0) + coalesce(w.sessions, 0))::bigint,
        (coalesce(k.hours, 0) + coalesce(w.hours, 0))::float8, (coalesce(k.outcomes, 0) + coalesce(w.outcomes, 0))::bigint,
        shido.patterns(coalesce(f.korea_to_japan, false), coalesce(f.japan_to_korea, false))
    FROM shido.engagements_in_view(NULL, $2) e
    LEFT JOIN LATERAL (
        SELECT c.sessions, c.hours, c.outcomes FROM counts_known c
        WHERE c.engagement_id = e.engagement_id AND c.stretch < $2 / (SELECT length FROM counts_stretch) ORDER BY c.stretch DESC LIMIT 1
    ) k ON true
    LEFT JOIN (
        SELECT moved.engagement_id, sum(moved.sign) FILTER (WHERE moved.kind = 'session') AS sessions,
            sum(moved.sign * moved.hours::numeric) FILTER (WHERE moved.kind = 'session') AS hours,
            sum(moved.sign) FILTER (WHERE moved.kind = 'outcome') AS outcomes
        FROM (SELECT $2 / length * length AS first FROM counts_stretch) s
        CROSS JOIN LATERAL (
            SELECT n.engagement_id, n.kind, n.hours, 1 AS sign FROM entries n
            WHERE n.kind <> 'trade' AND n.recorded_from >= s.first AND n.recorded_from <= $2
            UNION ALL
            SELECT n.engagement_id, n.kind, n.hours, -1 FROM entries n
            WHERE n.kind <> 'trade' AND n.recorded_until IS NOT NULL AND n.recorded_until >= s.first AND n.recorded_until <= $2
        ) moved GROUP BY moved.engagement_id
    ) w USING (engagement_id)
    LEFT JOIN (
        SELECT n.engagement_id, bool_or(n.direction = 'koreaToJapan') AS korea_to_japan,
            bool_or(n.direction = 'japanToKorea') AS japan_to_korea
        FROM entries n WHERE n.kind = 'trade' AND shido.known_at(n.recorded_from, n.recorded_until, $2) GROUP BY n.engagement_id
    ) f USING (engagement_id)
    WHERE $1 IS NULL AND $2 IS NOT NULL
    UNION ALL
    SELECT e.engagement_id, coalesce(m.sessions, 0)::bigint, coalesce(m.hours, 0)::float8, coalesce(m.outcomes, 0)::bigint,
        shido.patterns(coalesce(f.first_korea_to_japan <= $1, false), coalesce(f.first_japan_to_korea <= $1, false))
    FROM shido.engagements_in_view($1, NULL) e
    LEFT JOIN (
        SELECT dated.engagement_id, sum(dated.sessions) AS sessions, sum(dated.hours) AS hours, sum(dated.outcomes) AS outcomes
        FROM (
            SELECT c.engagement_id, c.sessions, c.hours, c.outcomes FROM counts_monthly c
            WHERE c.month < $1 - extract(day FROM $1)::integer + 1
            UNION ALL
            SELECT n.engagement_id, (n.kind = 'session')::integer, CASE WHEN n.kind = 'session' THEN n.hours::numeric ELSE 0 END,
                (n.kind = 'outcome')::integer
            FROM entries n
            WHERE n.kind <> 'trade' AND n.recorded_until IS NULL AND n.entry_date >= $1 - extract(day FROM $1)::integer + 1 AND n.entry_date <= $1
        ) dated GROUP BY dated.engagement_id
    ) m USING (engagement_id)
    LEFT JOIN first_flows f USING (engagement_id)
    WHERE $1 IS NOT NULL AND $2 IS NULL
    UNION ALL
    SELECT e.engagement_id, coalesce(m.sessions, 0)::bigint, coalesce(m.hours, 0)::float8, coalesce(m.outcomes, 0)::bigint,
        shido.patterns(coalesce(m.korea_to_japan > 0, false), coalesce(m.japan_to_korea > 0, false))
    FROM shido.engagements_in_view(NULL, NULL) e
    LEFT JOIN (
        SELECT v.engagement_id, sum(v.value) FILTER (WHERE v.measure = 'sessions') AS sessions,
            sum(v.value) FILTER (WHERE v.measure = 'hours') AS hours, sum(v.value) FILTER (WHERE v.measure = 'outcomes') AS outcomes,
            sum(v.value) FILTER (WHERE v.measure = 'flows koreaToJapan') AS korea_to_japan,
            sum(v.value) FILTER (WHERE v.measure = 'flows japanToKorea') AS japan_to_korea
        FROM measures v WHERE v.measure IN ('sessions', 'hours', 'outcomes', 'flows koreaToJapan', 'flows japanToKorea')
        GROUP BY v.engagement_id
    ) m USING (engagement_id)
    WHERE $1 IS NULL AND $2 IS NULL
    UNION ALL
    SELECT * FROM shido.engagement_facts($1, $2) WHERE $1 IS NOT NULL AND $2 IS NOT NULL
$$;
