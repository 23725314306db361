-- The rules every projection and view shares, each defined once, as SQL the planner inlines
-- (LANGUAGE sql, one expression: no call per row). And the generations' home: each
-- generation of a projection's tables is one schema, shido_views_<projection>_g<N>, which
-- the daemon's role creates and drops (hence CREATE on the database).
--
-- Projections built before these rules (tables shido_views.<table>_g<N>) are forgotten here
-- and rebuilt from the log by the next daemon; their old tables are dropped by it.

-- Bitemporal visibility: a row version is known at log position `at` when it was recorded
-- at or before it and not yet superseded; with `at` NULL, the versions known now.
CREATE FUNCTION shido.known_at(recorded_from bigint, recorded_until bigint, at bigint) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN $3 IS NULL THEN $2 IS NULL ELSE $1 <= $3 AND ($2 IS NULL OR $2 > $3) END $$;

-- What makes a pattern (DOMAIN.md): an engagement followed by a Korea→Japan flow shows
-- production stabilisation, by a Japan→Korea flow sales growth in Japan; both, or neither.
CREATE FUNCTION shido.patterns(has_korea_to_japan boolean, has_japan_to_korea boolean) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN $1 AND $2 THEN ARRAY['productionStabilisation', 'salesToJapaneseExports', 'both']
                  WHEN $1 THEN ARRAY['productionStabilisation']
                  WHEN $2 THEN ARRAY['salesToJapaneseExports']
                  ELSE ARRAY['neither'] END $$;

-- The business dates an engagement's patterns change on, as known now: from its start (or
-- the first flow of each direction, whichever is later) the members of shido.patterns at
-- that date; each row adds (+1) or removes (-1) the engagement from a pattern on `day`.
CREATE FUNCTION shido.pattern_days(start date, first_korea_to_japan date, first_japan_to_korea date)
RETURNS TABLE (pattern text, day date, delta integer)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    WITH turns AS (
        SELECT DISTINCT greatest($1, d) AS day FROM unnest(ARRAY[$1, $2, $3]) AS d WHERE d IS NOT NULL
    ), spans AS (
        SELECT day, lead(day) OVER (ORDER BY day) AS next,
            shido.patterns(coalesce($2 <= day, false), coalesce($3 <= day, false)) AS members
        FROM turns
    )
    SELECT p, day, 1 FROM spans, unnest(members) AS p
    UNION ALL
    SELECT p, next, -1 FROM spans, unnest(members) AS p WHERE next IS NOT NULL
$$;

-- What one version of an engagement, session, outcome or trade flow counts toward: two
-- measures each (a flow also counts as a flow of its direction, which makes patterns).
CREATE FUNCTION shido.change_measures(kind text, hours float8, outcome_kind text, direction text, currency text, value numeric)
RETURNS TABLE (measure text, amount numeric)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT * FROM (VALUES
        (CASE $1 WHEN 'session' THEN 'sessions' WHEN 'outcome' THEN 'outcomes' WHEN 'trade' THEN 'trade ' || $4 || ' ' || $5
                 WHEN 'engagement' THEN 'engagements' WHEN 'completion' THEN 'engagements completed' END,
         CASE $1 WHEN 'trade' THEN $6 ELSE 1 END),
        (CASE $1 WHEN 'session' THEN 'hours' WHEN 'outcome' THEN 'outcomes ' || $3 WHEN 'trade' THEN 'flows ' || $4
                 ELSE 'engagements active' END,
         CASE $1 WHEN 'session' THEN $2::numeric WHEN 'completion' THEN -1 ELSE 1 END)
    ) AS m (measure, amount)
$$;

-- Stored event data lifted to the current schema version: the SQL twin of the Swift
-- Upcaster (tested to agree). Refuses what this schema does not know.
CREATE FUNCTION shido.upcast(type text, schema_version integer, data jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF type = 'EngagementStarted' AND schema_version = 1 THEN
        IF NOT data ? 'goal' THEN RAISE EXCEPTION 'EngagementStarted v1 without goal'; END IF;
        RETURN (data - 'goal') || jsonb_build_object('goals', jsonb_build_array(data -> 'goal'));
    ELSIF type = 'EngagementStarted' AND schema_version = 2 THEN
        RETURN data;
    ELSIF schema_version = 1 AND type IN ('GuidanceSessionLogged', 'OutcomeReported', 'ExportRecorded', 'EngagementCompleted',
                                          'EntryCorrected', 'EntryRetracted', 'CompanyRegistered', 'CompanyUpdated',
                                          'EngineerRegistered', 'EngineerUpdated') THEN
        RETURN data;
    END IF;
    RAISE EXCEPTION '% schema version % is not known to this build', type, schema_version;
END
$$;

-- The typed columns of a session, outcome or trade flow (as logged, or as a correction's
-- replacement). A trade flow is dated by the first day of its period.
CREATE FUNCTION shido.entry_row(type text, data jsonb)
RETURNS TABLE (kind text, entry_date date, end_date date, hours float8, outcome_kind text, label text,
               counterparty text, direction text, currency text, value numeric)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE $1 WHEN 'GuidanceSessionLogged' THEN 'session' WHEN 'OutcomeReported' THEN 'outcome'
                   WHEN 'ExportRecorded' THEN 'trade' END,
        CASE WHEN $1 = 'ExportRecorded'
             THEN coalesce(($2 -> 'period' ->> 'month' || '-01')::date, ($2 -> 'period' ->> 'from')::date)
             ELSE ($2 ->> 'date')::date END,
        CASE WHEN $1 = 'ExportRecorded'
             THEN coalesce((($2 -> 'period' ->> 'month' || '-01')::date + interval '1 month' - interval '1 day')::date,
                           ($2 -> 'period' ->> 'to')::date) END,
        ($2 ->> 'hours')::float8,
        $2 ->> 'kind',
        CASE $1 WHEN 'GuidanceSessionLogged' THEN $2 ->> 'topic' WHEN 'OutcomeReported' THEN $2 ->> 'description'
                ELSE $2 ->> 'product' END,
        $2 ->> 'counterparty',
        $2 ->> 'direction',
        $2 -> 'value' ->> 'currency',
        ($2 -> 'value' ->> 'amount')::numeric
$$;

-- What a view counts, as of a business date ($1, NULL for no cut-off) by what was known at
-- a log position ($2, NULL for now). They name the projections' tables unqualified: the
-- caller's search_path picks the generations (shido_views_<projection>_g<N>), so the body
-- is checked when it runs, not here. The planner inlines them into each view's statement.
SET LOCAL check_function_bodies = off;

-- Their rows are composite types so that identifiers keep their byte order (COLLATE "C",
-- as in the tables): a join or an ORDER BY on them uses the tables' indexes.
CREATE TYPE shido.view_engagement AS (
    engagement_id text COLLATE "C", company_code text COLLATE "C", engineer_id text COLLATE "C", guidance_fields text[],
    start_date date, program_year integer, company_name text, industry text, products text[], engineer_name text,
    completed boolean, completed_on date);
CREATE TYPE shido.view_entry AS (
    entry bigint, engagement_id text COLLATE "C", kind text COLLATE "C", entry_date date, end_date date, hours float8,
    outcome_kind text COLLATE "C", label text, counterparty text, direction text COLLATE "C", currency text COLLATE "C",
    value numeric);
CREATE TYPE shido.view_facts AS (
    engagement_id text COLLATE "C", sessions bigint, hours float8, outcomes bigint, patterns text[]);

-- The engagements started by the date, with their company and engineer as then known.
CREATE FUNCTION shido.engagements_in_view(as_of date, known_at bigint)
RETURNS SETOF shido.view_engagement
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT g.engagement_id, g.company_code, g.engineer_id, g.guidance_fields, g.start_date, g.program_year,
        c.name, c.industry, c.products, r.name,
        g.completed_date IS NOT NULL AND ($1 IS NULL OR g.completed_date <= $1),
        CASE WHEN $1 IS NULL OR g.completed_date <= $1 THEN g.completed_date END
    FROM engagements g
    LEFT JOIN companies c ON c.code = g.company_code AND shido.known_at(c.recorded_from, c.recorded_until, $2)
    LEFT JOIN engineers r ON r.engineer_id = g.engineer_id AND shido.known_at(r.recorded_from, r.recorded_until, $2)
    WHERE shido.known_at(g.recorded_from, g.recorded_until, $2) AND ($1 IS NULL OR g.start_date <= $1)
$$;

-- The entries in force: the version known then of each session, outcome and trade flow
-- not retracted, dated by the date, of an engagement started by it.
CREATE FUNCTION shido.entries_in_view(as_of date, known_at bigint)
RETURNS SETOF shido.view_entry
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT n.entry, n.engagement_id, n.kind, n.entry_date, n.end_date, n.hours, n.outcome_kind, n.label, n.counterparty,
        n.direction, n.currency, n.value
    FROM entries n
    WHERE shido.known_at(n.recorded_from, n.recorded_until, $2) AND ($1 IS NULL OR n.entry_date <= $1)
        AND ($1 IS NULL OR EXISTS (SELECT 1 FROM engagements g WHERE g.engagement_id = n.engagement_id
                                   AND shido.known_at(g.recorded_from, g.recorded_until, $2) AND g.start_date <= $1))
$$;

-- Each engagement's figures from its entries in force, with its patterns.
CREATE FUNCTION shido.engagement_facts(as_of date, known_at bigint)
RETURNS SETOF shido.view_facts
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT e.engagement_id, coalesce(x.sessions, 0), coalesce(x.hours, 0), coalesce(x.outcomes, 0),
        shido.patterns(coalesce(x.korea_to_japan, false), coalesce(x.japan_to_korea, false))
    FROM shido.engagements_in_view($1, $2) e
    LEFT JOIN (
        SELECT n.engagement_id, count(*) FILTER (WHERE n.kind = 'session') AS sessions,
            sum(n.hours) FILTER (WHERE n.kind = 'session') AS hours,
            count(*) FILTER (WHERE n.kind = 'outcome') AS outcomes,
            bool_or(n.direction = 'koreaToJapan') AS korea_to_japan,
            bool_or(n.direction = 'japanToKorea') AS japan_to_korea
        FROM shido.entries_in_view($1, $2) n GROUP BY n.engagement_id
    ) x USING (engagement_id)
$$;

DELETE FROM shido.projection_checkpoints;
DELETE FROM shido.projections;

DO $$
BEGIN
    EXECUTE format('GRANT CREATE ON DATABASE %I TO shido_app', current_database());
END
$$;
