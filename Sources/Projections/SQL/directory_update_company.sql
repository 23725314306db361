-- A company updated: its current version closes, the next holds the fields given (NULL:
-- unchanged).
-- Parameters: $1 code, $2 name, $3 industry, $4 products (text[]), $5 the event's position.
WITH closed AS (
    UPDATE companies SET recorded_until = $5 WHERE code = $1 AND recorded_until IS NULL
    RETURNING code, name, industry, products
)
INSERT INTO companies (code, name, industry, products, recorded_from)
SELECT code, coalesce($2, name), coalesce($3, industry), coalesce($4::text[], products), $5 FROM closed;
