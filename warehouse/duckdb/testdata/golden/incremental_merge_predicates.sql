CREATE TEMP TABLE temp.main."t__mart_tmp_1" AS (
SELECT * FROM (VALUES (1, 'A', 11, TIMESTAMP '2026-03-03 00:00:00'), (3, 'C', 31, TIMESTAMP '2026-03-03 00:00:00')) v(id, v, n, ts)
);

SELECT column_name, column_type FROM (DESCRIBE temp.main."t__mart_tmp_1");

SELECT count(*) FILTER (WHERE k = prev) + greatest(count(*) FILTER (WHERE k IS NULL) - 1, 0), count(*) FILTER (WHERE k IS NULL) FROM (
  SELECT "id" AS k, lag("id") OVER (ORDER BY "id" NULLS LAST) AS prev
  FROM temp.main."t__mart_tmp_1"
);

SELECT column_name, column_type FROM (DESCRIBE "main"."t");

MERGE INTO "main"."t" AS DBT_INTERNAL_DEST
USING temp.main."t__mart_tmp_1" AS DBT_INTERNAL_SOURCE
ON (DBT_INTERNAL_SOURCE."id" = DBT_INTERNAL_DEST."id")
  AND (DBT_INTERNAL_DEST.ts >= TIMESTAMP '2026-03-02')
WHEN MATCHED THEN UPDATE SET
  "v" = DBT_INTERNAL_SOURCE."v",
  "n" = DBT_INTERNAL_SOURCE."n",
  "ts" = DBT_INTERNAL_SOURCE."ts"
WHEN NOT MATCHED THEN INSERT ("id", "v", "n", "ts")
  VALUES (DBT_INTERNAL_SOURCE."id", DBT_INTERNAL_SOURCE."v", DBT_INTERNAL_SOURCE."n", DBT_INTERNAL_SOURCE."ts");

DROP TABLE temp.main."t__mart_tmp_1";
