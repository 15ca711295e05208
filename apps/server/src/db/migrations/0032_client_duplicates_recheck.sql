-- One-off: possible-duplicate pairs recorded before the fix of cf224ce sit one unit too high when both records
-- belong to one unit (or to a unit and one below it): ltree's lca() is a proper ancestor even of equal paths, so
-- the station holding both never saw the pair. Every pair is placed again by the rule of detectDuplicates,
-- from the two records' current paths.
UPDATE client_duplicates d
SET unit_path = x.path
FROM (
  SELECT d2.id,
    CASE WHEN a.unit_path <@ b.unit_path THEN b.unit_path
         WHEN b.unit_path <@ a.unit_path THEN a.unit_path
         ELSE lca(a.unit_path, b.unit_path) END AS path
  FROM client_duplicates d2
  JOIN clients a ON a.id = d2.client_a
  JOIN clients b ON b.id = d2.client_b
) x
WHERE x.id = d.id AND x.path IS NOT NULL AND d.unit_path IS DISTINCT FROM x.path;
