-- What a daemon on a hot standby reports about its replication (shido status, /metrics),
-- in one round trip:
--   in_recovery  whether the database is a standby still in recovery (false once promoted)
--   lag_bytes    WAL received from the primary but not replayed yet (0 on a primary)
--   lag_seconds  0 when everything received is replayed, else the time since the last
--                replayed transaction committed on the primary (null before the first)
--   following    where the WAL receiver streams from (host or socket directory, and port);
--                null while it is not streaming
CREATE FUNCTION shido.replica_status(
    OUT in_recovery boolean, OUT lag_bytes bigint, OUT lag_seconds double precision, OUT following text)
LANGUAGE sql STABLE AS $$
    SELECT pg_is_in_recovery(),
           coalesce(pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()), 0)::bigint,
           CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                ELSE extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()) END,
           (SELECT sender_host || ':' || sender_port FROM pg_stat_wal_receiver WHERE status = 'streaming')
$$;
