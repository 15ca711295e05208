-- The distinct 2-character substrings of a text: a GIN index on them answers "contains" searches for
-- 2-character fragments (张伟, 秀英), which pg_trgm cannot (a LIKE pattern needs 3 characters for a trigram).
CREATE OR REPLACE FUNCTION clients_bigrams(s text) RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ select coalesce(array_agg(distinct substr(s, i, 2)), '{}'::text[]) from generate_series(1, length(s) - 1) i $$;
