-- The engagements a view counts, narrowed to a program year and an industry (NULL: any):
-- the one definition of the views' year and industry filters (the case table, the
-- summary, the patterns, trade, years, industries, engineers, companies).
-- Run with a generation of the views' tables on the search_path, like
-- shido.engagements_in_view.
CREATE FUNCTION shido.engagements_in_scope(as_of date, known_at bigint, program_year integer, industry text)
RETURNS SETOF shido.view_engagement
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT * FROM shido.engagements_in_view($1, $2) e
    WHERE ($3 IS NULL OR e.program_year = $3) AND ($4 IS NULL OR e.industry = $4)
$$;
