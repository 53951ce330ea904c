CREATE TEMP TABLE temp.main."t__mart_tmp_1" AS (
SELECT * FROM (VALUES (2, 'b', 22, TIMESTAMP '2026-03-03 00:00:00'), (2, 'x', 0, TIMESTAMP '2026-03-03 00:00:00')) v(id, v, n, ts)
);

SELECT column_name, column_type FROM (DESCRIBE temp.main."t__mart_tmp_1");

SELECT count(*) FILTER (WHERE has_prev AND k0 IS NOT DISTINCT FROM p0 AND k1 IS NOT DISTINCT FROM p1), count(*) FILTER (WHERE k0 IS NULL OR k1 IS NULL) FROM (
  SELECT "id" AS k0, lag("id") OVER w AS p0, "v" AS k1, lag("v") OVER w AS p1, lag(true) OVER w IS NOT NULL AS has_prev
  FROM temp.main."t__mart_tmp_1"
  WINDOW w AS (ORDER BY "id", "v")
);

SELECT column_name, column_type FROM (DESCRIBE "main"."t");

MERGE INTO "main"."t" AS DBT_INTERNAL_DEST
USING temp.main."t__mart_tmp_1" AS DBT_INTERNAL_SOURCE
ON (DBT_INTERNAL_SOURCE."id" = DBT_INTERNAL_DEST."id" AND DBT_INTERNAL_SOURCE."v" = DBT_INTERNAL_DEST."v")
WHEN MATCHED THEN UPDATE SET
  "n" = DBT_INTERNAL_SOURCE."n",
  "ts" = DBT_INTERNAL_SOURCE."ts"
WHEN NOT MATCHED THEN INSERT ("id", "v", "n", "ts")
  VALUES (DBT_INTERNAL_SOURCE."id", DBT_INTERNAL_SOURCE."v", DBT_INTERNAL_SOURCE."n", DBT_INTERNAL_SOURCE."ts");

DROP TABLE temp.main."t__mart_tmp_1";
