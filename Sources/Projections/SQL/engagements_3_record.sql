-- Sessions, outcomes and trade flows logged in a page: a first version each.
-- Parameters: $1 the position the page starts after, $2 its last position.
-- Run in the generation's schema: SET search_path = shido_views_engagements_g<N>;
WITH recorded AS (
    INSERT INTO entries (entry, engagement_id, kind, entry_date, end_date, hours, outcome_kind, label, counterparty,
                         direction, currency, value, corrections, recorded_from)
    SELECT e.position, substr(e.stream_id, length('engagement-') + 1), r.*, 0, e.position
    FROM shido.events e
    CROSS JOIN LATERAL shido.entry_row(e.type, CASE WHEN e.schema_version = 1 THEN e.data
                                                    ELSE shido.upcast(e.type, e.schema_version, e.data) END) AS r
    WHERE e.type IN ('GuidanceSessionLogged', 'OutcomeReported', 'ExportRecorded') AND e.position > $1 AND e.position <= $2
    RETURNING engagement_id, recorded_from, kind, entry_date, hours, outcome_kind, direction, currency, value
)
INSERT INTO page_changes (engagement_id, position, sign, kind, day, hours, outcome_kind, direction, currency, value)
SELECT engagement_id, recorded_from, 1, kind, entry_date, hours, outcome_kind, direction, currency, value FROM recorded;
