CREATE TEMP TABLE temp.main."t__mart_tmp_1" AS (
SELECT * FROM (VALUES (5, 'b', 0, TIMESTAMP '2026-03-09 00:00:00')) v(id, v, n, ts)
);

SELECT column_name, column_type FROM (DESCRIBE temp.main."t__mart_tmp_1");

SELECT column_name, column_type FROM (DESCRIBE "main"."t");

DELETE FROM "main"."t" AS DBT_INTERNAL_DEST
WHERE EXISTS (
  SELECT 1 FROM (SELECT DISTINCT "v" AS "__mart_partition_1" FROM temp.main."t__mart_tmp_1") AS DBT_INTERNAL_SOURCE
  WHERE DBT_INTERNAL_SOURCE."__mart_partition_1" IS NOT DISTINCT FROM ("v")
);

INSERT INTO "main"."t" ("id", "v", "n", "ts")
SELECT "id", "v", "n", "ts" FROM temp.main."t__mart_tmp_1";

DROP TABLE temp.main."t__mart_tmp_1";
