-- Each engagement's trade in force by direction and currency, as of a business date ($1,
-- NULL for no cut-off) by what was known at a log position ($2, NULL for now): one
-- definition for every view that totals trade per year, company, industry or pattern.
-- Grouped per engagement before any view joins it to what it groups by: a tenth of the
-- rows of the flows themselves, so the views' own grouping hashes a few thousand rows
-- instead of sorting every flow by locale-collated names.
SET LOCAL check_function_bodies = off;

CREATE TYPE shido.view_trade AS (
    engagement_id text COLLATE "C", direction text COLLATE "C", currency text COLLATE "C", total numeric);

CREATE FUNCTION shido.engagement_trade(as_of date, known_at bigint)
RETURNS SETOF shido.view_trade
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT n.engagement_id, n.direction, n.currency, sum(n.value)
    FROM shido.entries_in_view($1, $2) n
    WHERE n.kind = 'trade'
    GROUP BY n.engagement_id, n.direction, n.currency
$$;
