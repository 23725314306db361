-- The directory projection's tables, created in its generation's schema
-- (SET search_path = shido_views_directory_g<N> first). Each row version holds every field
-- as it stood from recorded_from to recorded_until (NULL while current); see
-- engagements_tables.sql for how views read them.
CREATE TABLE companies (
    code           text   COLLATE "C" NOT NULL,
    name           text   NOT NULL,
    industry       text   NOT NULL,
    products       text[] NOT NULL,
    recorded_from  bigint NOT NULL,
    recorded_until bigint,
    PRIMARY KEY (code, recorded_from)
);
CREATE UNIQUE INDEX companies_now ON companies (code) WHERE recorded_until IS NULL;
CREATE INDEX companies_now_by_industry ON companies (industry) WHERE recorded_until IS NULL;

CREATE TABLE engineers (
    engineer_id    text   COLLATE "C" NOT NULL,
    name           text   NOT NULL,
    specialty      text   NOT NULL,
    career         text   NOT NULL,
    recorded_from  bigint NOT NULL,
    recorded_until bigint,
    PRIMARY KEY (engineer_id, recorded_from)
);
CREATE UNIQUE INDEX engineers_now ON engineers (engineer_id) WHERE recorded_until IS NULL;
