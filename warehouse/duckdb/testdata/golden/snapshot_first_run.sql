CREATE TEMP TABLE temp.main."s__mart_tmp_1" AS (
SELECT 1 AS id, 'a' AS v, TIMESTAMP '2026-03-01' AS updated_at UNION ALL SELECT 2 AS id, 'b' AS v, TIMESTAMP '2026-03-01' AS updated_at
);

SELECT column_name, column_type FROM (DESCRIBE temp.main."s__mart_tmp_1");

SELECT count(*) FILTER (WHERE k = prev) + greatest(count(*) FILTER (WHERE k IS NULL) - 1, 0), count(*) FILTER (WHERE k IS NULL) FROM (
  SELECT "id" AS k, lag("id") OVER (ORDER BY "id" NULLS LAST) AS prev
  FROM temp.main."s__mart_tmp_1"
);

CREATE TABLE "main"."s" AS
SELECT *,
  md5(coalesce(CAST("id" AS VARCHAR), '') || '|' || coalesce(CAST("updated_at" AS VARCHAR), '')) AS "dbt_scd_id",
  "updated_at" AS "dbt_updated_at",
  "updated_at" AS "dbt_valid_from",
  CAST(NULL AS TIMESTAMP) AS "dbt_valid_to"
FROM temp.main."s__mart_tmp_1";

SELECT count(*) FROM "main"."s";

DROP TABLE temp.main."s__mart_tmp_1";
