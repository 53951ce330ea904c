CREATE TEMP TABLE temp.main."s__mart_tmp_1" AS (
SELECT 1 AS id, 'a' AS v, TIMESTAMP '2026-03-02' AS updated_at UNION ALL SELECT 2 AS id, 'B' AS v, TIMESTAMP '2026-03-01' AS updated_at
);

SELECT column_name, column_type FROM (DESCRIBE temp.main."s__mart_tmp_1");

SELECT count(*) FILTER (WHERE k = prev) + greatest(count(*) FILTER (WHERE k IS NULL) - 1, 0), count(*) FILTER (WHERE k IS NULL) FROM (
  SELECT "id" AS k, lag("id") OVER (ORDER BY "id" NULLS LAST) AS prev
  FROM temp.main."s__mart_tmp_1"
);

SELECT column_name, column_type FROM (DESCRIBE "main"."s");

CREATE TEMP TABLE temp.main."s__mart_tmp_2" AS
SELECT DBT_INTERNAL_SOURCE.*,
  TIMESTAMP '2026-03-05 12:00:00' AS __mart_valid_from,
  TIMESTAMP '2026-03-05 12:00:00' AS __mart_updated_at,
  DBT_INTERNAL_DEST.__mart_found IS NOT NULL AS __mart_close
FROM temp.main."s__mart_tmp_1" AS DBT_INTERNAL_SOURCE
LEFT JOIN (
  SELECT *, true AS __mart_found FROM "main"."s" AS DBT_INTERNAL_DEST WHERE DBT_INTERNAL_DEST."dbt_valid_to" IS NULL
) AS DBT_INTERNAL_DEST
  ON DBT_INTERNAL_SOURCE."id" IS NOT DISTINCT FROM DBT_INTERNAL_DEST."id"
WHERE DBT_INTERNAL_DEST.__mart_found IS NULL
  OR (DBT_INTERNAL_SOURCE."v" IS DISTINCT FROM DBT_INTERNAL_DEST."v");

UPDATE "main"."s" AS DBT_INTERNAL_DEST
SET "dbt_valid_to" = DBT_INTERNAL_SOURCE.__mart_valid_from
FROM temp.main."s__mart_tmp_2" AS DBT_INTERNAL_SOURCE
WHERE DBT_INTERNAL_SOURCE.__mart_close AND DBT_INTERNAL_SOURCE."id" IS NOT DISTINCT FROM DBT_INTERNAL_DEST."id" AND DBT_INTERNAL_DEST."dbt_valid_to" IS NULL;

INSERT INTO "main"."s" ("id", "v", "updated_at", "dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to")
SELECT "id", "v", "updated_at",
  md5(coalesce(CAST("id" AS VARCHAR), '') || '|' || coalesce(CAST(__mart_valid_from AS VARCHAR), '')),
  __mart_updated_at,
  __mart_valid_from,
  CAST(NULL AS TIMESTAMP)
FROM temp.main."s__mart_tmp_2";

DROP TABLE temp.main."s__mart_tmp_2";

DROP TABLE temp.main."s__mart_tmp_1";
