-- The updates of companies and engineers in a page of the log, in log order: each is applied
-- alone (directory_update_company.sql, directory_update_engineer.sql), since two updates of one company build on each other.
-- Parameters: $1 the position the page starts after, $2 its last position.
SELECT position, type FROM shido.events
WHERE type IN ('CompanyUpdated', 'EngineerUpdated') AND position > $1 AND position <= $2
ORDER BY position;
