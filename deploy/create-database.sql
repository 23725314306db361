-- Creates shido's database and roles on an external PostgreSQL (15 or later).
-- Run as a superuser:   psql -v ON_ERROR_STOP=1 -f create-database.sql
-- Then apply the schema as a superuser (the objects belong to shido_owner):
--   runuser -u postgres -- shidod migrate --database-url 'host=/run/postgresql dbname=shido'
-- and point the daemon at it (in /etc/shido/shidod.conf):
--   database-url = host=/run/postgresql dbname=shido user=shidod
--
-- shido_owner owns the schema and logs in nowhere; `shidod migrate` assumes it. The
-- daemon's login role shidod is a member of shido_app only, which may SELECT and INSERT on
-- the event log: no UPDATE, DELETE or TRUNCATE, no DDL on it, and no way to become the owner
-- (RESET ROLE leads back to shidod, which holds nothing more). The append-only triggers
-- refuse UPDATE, DELETE and TRUNCATE even to the owner. After an upgrade, run
-- `shidod migrate` again before restarting the daemon; the daemon refuses to start while
-- migrations are pending, and says so.
--
-- shidod logs in as shidod (peer authentication over the Unix socket matches the system
-- user of the same name; add to pg_hba.conf:  local shido shidod peer map=shido  with
-- pg_ident.conf:  shido shido shidod  when the service runs as the system user shido).

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'shido_owner') THEN CREATE ROLE shido_owner NOLOGIN; END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'shido_app') THEN CREATE ROLE shido_app NOLOGIN; END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'shidod') THEN CREATE ROLE shidod LOGIN; END IF;
END
$$;
GRANT shido_app TO shidod;

CREATE DATABASE shido OWNER shido_owner ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE shido FROM PUBLIC;
GRANT CONNECT ON DATABASE shido TO shidod;
-- A projector's page keeps its scratch rows in temporary tables of its own session.
GRANT TEMPORARY ON DATABASE shido TO shido_app;
-- Each generation of a projection's tables is a schema of its own (shido_views_<name>_g<N>),
-- which the daemon creates when it (re)builds a projection: migration 0013 grants shido_app
-- CREATE on the database, once the schema `shido` exists and belongs to shido_owner. (Granted
-- here, before `shidod migrate`, it would let the daemon's login create `shido` itself.)

\connect shido
REVOKE ALL ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO shido_owner;
