-- Built from scratch: every version of every session, outcome and trade flow known at $1,
-- at once. The first version is open until the entry's first correction or retraction;
-- each correction's version until the next change; nothing opens after a retraction (as
-- engagements_3_record.sql and engagements_4_change.sql do range by range).
-- Parameters: $1 the last position of the log taken.
-- Run in the generation's schema: SET search_path = shido_views_engagements_g<N>;
WITH originals AS (
    SELECT e.position AS entry, substr(e.stream_id, length('engagement-') + 1) AS engagement_id, e.type,
        CASE WHEN e.schema_version = 1 THEN e.data ELSE shido.upcast(e.type, e.schema_version, e.data) END AS data
    FROM shido.events e
    WHERE e.type IN ('GuidanceSessionLogged', 'OutcomeReported', 'ExportRecorded') AND e.position <= $1
), changes AS (
    SELECT * FROM shido.entry_changes(0, $1)
)
INSERT INTO entries (entry, engagement_id, kind, entry_date, end_date, hours, outcome_kind, label, counterparty,
                     direction, currency, value, corrections, recorded_from, recorded_until)
SELECT o.entry, o.engagement_id, r.*, 0, o.entry, f.changed_at
FROM originals o
LEFT JOIN changes f ON f.entry = o.entry AND f.nth = 1
CROSS JOIN LATERAL shido.entry_row(o.type, o.data) AS r
UNION ALL
SELECT c.entry, o.engagement_id, r.*, c.nth, c.changed_at, c.next
FROM changes c JOIN originals o ON o.entry = c.entry
CROSS JOIN LATERAL shido.entry_row(
    CASE WHEN c.data ? 'session' THEN 'GuidanceSessionLogged' WHEN c.data ? 'outcome' THEN 'OutcomeReported'
         ELSE 'ExportRecorded' END,
    coalesce(c.data -> 'session', c.data -> 'outcome', c.data -> 'trade')) AS r
WHERE c.type = 'EntryCorrected' AND NOT c.after_retraction;
