-- The corrections and retractions of a stretch of the log, each with the entry it changes
-- (the position of the event that first recorded it), in log order per entry: its own
-- position (changed_at), its place in that order within the stretch (nth), the position of
-- the entry's next change in it (next), and whether a retraction came before it
-- (after_retraction: a correction of a retracted entry opens nothing). One definition for
-- the projection's ranges and for its build from scratch; SQL the planner inlines.
CREATE FUNCTION shido.entry_changes(after bigint, through bigint)
RETURNS TABLE (entry bigint, changed_at bigint, type text, data jsonb, nth bigint, next bigint, after_retraction boolean)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT t.position, c.position, c.type, d,
        row_number() OVER per_entry, lead(c.position) OVER per_entry,
        coalesce(bool_or(c.type = 'EntryRetracted') OVER (PARTITION BY t.position ORDER BY c.position
                                                          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false)
    FROM shido.events c
    CROSS JOIN LATERAL shido.upcast(c.type, c.schema_version, c.data) AS d
    JOIN shido.events t ON t.event_id = coalesce(d ->> 'correctedEventID', d ->> 'retractedEventID')::uuid
    WHERE c.type IN ('EntryCorrected', 'EntryRetracted') AND c.position > $1 AND c.position <= $2
    WINDOW per_entry AS (PARTITION BY t.position ORDER BY c.position)
$$;
