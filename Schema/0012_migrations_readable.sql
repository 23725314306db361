-- The daemon's own role may read which migrations are applied, so that a daemon logging
-- in without the owner's privileges (deploy/create-database.sql) can tell an up-to-date
-- schema from one that `shidod migrate` must bring up to date first.
GRANT SELECT ON shido.schema_migrations TO shido_app;
