CREATE TEMP TABLE temp.main."t__mart_tmp_1" AS (
SELECT 3 AS id, 3000000000 AS n, 'x' AS extra
);

SELECT column_name, column_type FROM (DESCRIBE temp.main."t__mart_tmp_1");

SELECT count(*) FILTER (WHERE k = prev) + greatest(count(*) FILTER (WHERE k IS NULL) - 1, 0), count(*) FILTER (WHERE k IS NULL) FROM (
  SELECT "id" AS k, lag("id") OVER (ORDER BY "id" NULLS LAST) AS prev
  FROM temp.main."t__mart_tmp_1"
);

SELECT column_name, column_type FROM (DESCRIBE "main"."t");

ALTER TABLE "main"."t" ADD COLUMN "extra" VARCHAR;

ALTER TABLE "main"."t" ALTER COLUMN "n" SET DATA TYPE BIGINT;

ALTER TABLE "main"."t" DROP COLUMN "v";

ALTER TABLE "main"."t" DROP COLUMN "ts";

MERGE INTO "main"."t" AS DBT_INTERNAL_DEST
USING temp.main."t__mart_tmp_1" AS DBT_INTERNAL_SOURCE
ON (DBT_INTERNAL_SOURCE."id" = DBT_INTERNAL_DEST."id")
WHEN MATCHED THEN UPDATE SET
  "n" = DBT_INTERNAL_SOURCE."n",
  "extra" = DBT_INTERNAL_SOURCE."extra"
WHEN NOT MATCHED THEN INSERT ("id", "n", "extra")
  VALUES (DBT_INTERNAL_SOURCE."id", DBT_INTERNAL_SOURCE."n", DBT_INTERNAL_SOURCE."extra");

DROP TABLE temp.main."t__mart_tmp_1";
