CREATE TEMP TABLE temp.main."t__mart_tmp_1" AS (
SELECT * FROM (VALUES
			(2, 'B', 21, TIMESTAMP '2026-03-02 12:00:00'),
			(4, 'd', 40, TIMESTAMP '2026-03-02 13:00:00')) v(id, v, n, ts)
);

SELECT column_name, column_type FROM (DESCRIBE temp.main."t__mart_tmp_1");

SELECT column_name, column_type FROM (DESCRIBE "main"."t");

INSERT INTO "main"."t" ("id", "v", "n", "ts")
SELECT "id", "v", "n", "ts" FROM temp.main."t__mart_tmp_1";

DROP TABLE temp.main."t__mart_tmp_1";
