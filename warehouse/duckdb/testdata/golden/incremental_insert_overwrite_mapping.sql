CREATE TEMP TABLE temp.main."t__mart_tmp_1" AS (
SELECT * FROM (VALUES (9, 'z', 90, TIMESTAMP '2026-03-01 23:00:00'), (8, 'y', 80, TIMESTAMP '2026-03-05 00:00:00')) v(id, v, n, ts)
);

SELECT column_name, column_type FROM (DESCRIBE temp.main."t__mart_tmp_1");

SELECT column_name, column_type FROM (DESCRIBE "main"."t");

DELETE FROM "main"."t" AS DBT_INTERNAL_DEST
WHERE EXISTS (
  SELECT 1 FROM (SELECT DISTINCT date_trunc('day', "ts") AS "__mart_partition_1" FROM temp.main."t__mart_tmp_1") AS DBT_INTERNAL_SOURCE
  WHERE DBT_INTERNAL_SOURCE."__mart_partition_1" IS NOT DISTINCT FROM (date_trunc('day', "ts"))
);

INSERT INTO "main"."t" ("id", "v", "n", "ts")
SELECT "id", "v", "n", "ts" FROM temp.main."t__mart_tmp_1";

DROP TABLE temp.main."t__mart_tmp_1";
