-- A company registered: its first version.
-- Parameters: $1 code, $2 name, $3 industry, $4 products (text[]), $5 the event's position.
INSERT INTO companies (code, name, industry, products, recorded_from) VALUES ($1, $2, $3, $4, $5);
