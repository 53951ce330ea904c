CREATE TEMP TABLE temp.main."t__mart_tmp_1" AS (
SELECT * FROM (VALUES
			(2, 'B', 21, TIMESTAMP '2026-03-02 12:00:00'),
			(4, 'd', 40, TIMESTAMP '2026-03-02 13:00:00')) v(id, v, n, ts)
);

SELECT column_name, column_type FROM (DESCRIBE temp.main."t__mart_tmp_1");

SELECT count(*) FILTER (WHERE k = prev) + greatest(count(*) FILTER (WHERE k IS NULL) - 1, 0), count(*) FILTER (WHERE k IS NULL) FROM (
  SELECT "id" AS k, lag("id") OVER (ORDER BY "id" NULLS LAST) AS prev
  FROM temp.main."t__mart_tmp_1"
);

CREATE TABLE "main"."t" AS SELECT * FROM temp.main."t__mart_tmp_1";

SELECT count(*) FROM "main"."t";

DROP TABLE temp.main."t__mart_tmp_1";
