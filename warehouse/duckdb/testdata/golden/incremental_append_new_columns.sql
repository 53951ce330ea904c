CREATE TEMP TABLE temp.main."t__mart_tmp_1" AS (
SELECT 5 AS id, 'e' AS v, 50 AS n, TIMESTAMP '2026-03-04 00:00:00' AS ts, true AS flag
);

SELECT column_name, column_type FROM (DESCRIBE temp.main."t__mart_tmp_1");

SELECT count(*) FILTER (WHERE k = prev) + greatest(count(*) FILTER (WHERE k IS NULL) - 1, 0), count(*) FILTER (WHERE k IS NULL) FROM (
  SELECT "id" AS k, lag("id") OVER (ORDER BY "id" NULLS LAST) AS prev
  FROM temp.main."t__mart_tmp_1"
);

SELECT column_name, column_type FROM (DESCRIBE "main"."t");

ALTER TABLE "main"."t" ADD COLUMN "flag" BOOLEAN;

MERGE INTO "main"."t" AS DBT_INTERNAL_DEST
USING temp.main."t__mart_tmp_1" AS DBT_INTERNAL_SOURCE
ON (DBT_INTERNAL_SOURCE."id" = DBT_INTERNAL_DEST."id")
WHEN MATCHED THEN UPDATE SET
  "v" = DBT_INTERNAL_SOURCE."v",
  "n" = DBT_INTERNAL_SOURCE."n",
  "ts" = DBT_INTERNAL_SOURCE."ts",
  "flag" = DBT_INTERNAL_SOURCE."flag"
WHEN NOT MATCHED THEN INSERT ("id", "v", "n", "ts", "flag")
  VALUES (DBT_INTERNAL_SOURCE."id", DBT_INTERNAL_SOURCE."v", DBT_INTERNAL_SOURCE."n", DBT_INTERNAL_SOURCE."ts", DBT_INTERNAL_SOURCE."flag");

DROP TABLE temp.main."t__mart_tmp_1";
