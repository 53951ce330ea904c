CREATE TEMP TABLE temp.main."t__mart_tmp_1" AS (
SELECT * FROM (VALUES (2, 'B', 21, TIMESTAMP '2026-03-02 12:00:00'), (2, 'B', 22, TIMESTAMP '2026-03-02 12:00:00'),
				(2, 'A', 99, TIMESTAMP '2026-03-02 12:00:00'), (4, 'd', 40, TIMESTAMP '2026-03-02 13:00:00')) v(id, v, n, ts)
);

SELECT column_name, column_type FROM (DESCRIBE temp.main."t__mart_tmp_1");

SELECT count(*) FILTER (WHERE k = prev) + greatest(count(*) FILTER (WHERE k IS NULL) - 1, 0), count(*) FILTER (WHERE k IS NULL) FROM (
  SELECT "id" AS k, lag("id") OVER (ORDER BY "id" NULLS LAST) AS prev
  FROM temp.main."t__mart_tmp_1"
);

DELETE FROM temp.main."t__mart_tmp_1" WHERE rowid IN (
  SELECT rowid FROM temp.main."t__mart_tmp_1"
  QUALIFY row_number() OVER (PARTITION BY "id" ORDER BY "id" DESC NULLS LAST, "v" DESC NULLS LAST, "n" DESC NULLS LAST, "ts" DESC NULLS LAST) > 1
);

SELECT column_name, column_type FROM (DESCRIBE "main"."t");

MERGE INTO "main"."t" AS DBT_INTERNAL_DEST
USING temp.main."t__mart_tmp_1" AS DBT_INTERNAL_SOURCE
ON (DBT_INTERNAL_SOURCE."id" = DBT_INTERNAL_DEST."id")
WHEN MATCHED THEN UPDATE SET
  "v" = DBT_INTERNAL_SOURCE."v",
  "n" = DBT_INTERNAL_SOURCE."n",
  "ts" = DBT_INTERNAL_SOURCE."ts"
WHEN NOT MATCHED THEN INSERT ("id", "v", "n", "ts")
  VALUES (DBT_INTERNAL_SOURCE."id", DBT_INTERNAL_SOURCE."v", DBT_INTERNAL_SOURCE."n", DBT_INTERNAL_SOURCE."ts");

DROP TABLE temp.main."t__mart_tmp_1";
