CREATE TEMP TABLE temp.main."t__mart_tmp_1" AS (
SELECT * FROM (VALUES (7, 'g', 70, TIMESTAMP '2026-03-02 05:00:00')) v(id, v, n, ts)
);

SELECT column_name, column_type FROM (DESCRIBE temp.main."t__mart_tmp_1");

SELECT count(*) FROM temp.main."t__mart_tmp_1"
WHERE NOT coalesce("ts" >= TIMESTAMP '2026-03-02 00:00:00' AND "ts" < TIMESTAMP '2026-03-03 00:00:00', false);

SELECT column_name, column_type FROM (DESCRIBE "main"."t");

DELETE FROM "main"."t" AS DBT_INTERNAL_DEST
WHERE DBT_INTERNAL_DEST."ts" >= TIMESTAMP '2026-03-02 00:00:00'
  AND DBT_INTERNAL_DEST."ts" < TIMESTAMP '2026-03-03 00:00:00';

INSERT INTO "main"."t" ("id", "v", "n", "ts")
SELECT "id", "v", "n", "ts" FROM temp.main."t__mart_tmp_1";

DROP TABLE temp.main."t__mart_tmp_1";
