-- shido_app: the role every daemon session assumes (SET ROLE) after connecting.
-- It may read and append events and nothing more: no UPDATE, DELETE or TRUNCATE.
-- Roles belong to the whole cluster, so it is created only when missing; for an external
-- PostgreSQL, deploy/create-database.sql creates it beforehand.
-- Two databases of one cluster may migrate at the same moment, hence the exception guard.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'shido_app') THEN
        CREATE ROLE shido_app NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;  -- created meanwhile by another database's migrator
END
$$;

GRANT USAGE ON SCHEMA shido TO shido_app;
