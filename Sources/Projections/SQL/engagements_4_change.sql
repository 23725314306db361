-- Corrections and retractions in a page, in log order per entry: the first closes the
-- entry's open version; each correction opens the next version (open until the entry's
-- next change in the page); nothing reopens a retracted entry.
-- Parameters: $1 the position the page starts after, $2 its last position.
-- Run in the generation's schema: SET search_path = shido_views_engagements_g<N>;
WITH change AS (
    SELECT * FROM shido.entry_changes($1, $2)
), closed AS (
    UPDATE entries n SET recorded_until = change.changed_at FROM change
    WHERE change.nth = 1 AND n.entry = change.entry AND n.recorded_until IS NULL
    RETURNING n.*
), opened AS (
    INSERT INTO entries (entry, engagement_id, kind, entry_date, end_date, hours, outcome_kind, label, counterparty,
                         direction, currency, value, corrections, recorded_from, recorded_until)
    SELECT change.entry, closed.engagement_id, r.*, closed.corrections + change.nth, change.changed_at, change.next
    FROM change JOIN closed ON closed.entry = change.entry
    CROSS JOIN LATERAL shido.entry_row(
        CASE WHEN change.data ? 'session' THEN 'GuidanceSessionLogged' WHEN change.data ? 'outcome' THEN 'OutcomeReported'
             ELSE 'ExportRecorded' END,
        coalesce(change.data -> 'session', change.data -> 'outcome', change.data -> 'trade')) AS r
    WHERE change.type = 'EntryCorrected' AND NOT change.after_retraction
    RETURNING *
)
INSERT INTO page_changes (engagement_id, position, sign, kind, day, hours, outcome_kind, direction, currency, value)
SELECT engagement_id, recorded_until, -1, kind, entry_date, hours, outcome_kind, direction, currency, value FROM closed
UNION ALL
SELECT engagement_id, recorded_from, 1, kind, entry_date, hours, outcome_kind, direction, currency, value FROM opened
UNION ALL
SELECT engagement_id, recorded_until, -1, kind, entry_date, hours, outcome_kind, direction, currency, value FROM opened
WHERE recorded_until IS NOT NULL;
