CREATE TEMP TABLE temp.main."s__mart_tmp_1" AS (
SELECT *, (id || '-' || upper(v)) AS "__mart_key_0" FROM (
SELECT 1 AS id, 'a' AS v, TIMESTAMP '2026-03-02' AS updated_at
) AS __mart_snapshot_rows
);

SELECT column_name, column_type FROM (DESCRIBE temp.main."s__mart_tmp_1");

SELECT count(*) FILTER (WHERE k = prev) + greatest(count(*) FILTER (WHERE k IS NULL) - 1, 0), count(*) FILTER (WHERE k IS NULL) FROM (
  SELECT "__mart_key_0" AS k, lag("__mart_key_0") OVER (ORDER BY "__mart_key_0" NULLS LAST) AS prev
  FROM temp.main."s__mart_tmp_1"
);

SELECT column_name, column_type FROM (DESCRIBE "main"."s");

CREATE TEMP TABLE temp.main."s__mart_tmp_2" AS
SELECT DBT_INTERNAL_SOURCE.*,
  TIMESTAMP '2026-03-05 12:00:00' AS __mart_valid_from,
  TIMESTAMP '2026-03-05 12:00:00' AS __mart_updated_at,
  DBT_INTERNAL_DEST.__mart_found IS NOT NULL AS __mart_close,
  DBT_INTERNAL_DEST."dbt_scd_id" AS __mart_cur_scd
FROM temp.main."s__mart_tmp_1" AS DBT_INTERNAL_SOURCE
LEFT JOIN (
  SELECT *, true AS __mart_found, (id || '-' || upper(v)) AS "__mart_key_0" FROM "main"."s" AS DBT_INTERNAL_DEST WHERE DBT_INTERNAL_DEST."dbt_valid_to" IS NULL
) AS DBT_INTERNAL_DEST
  ON DBT_INTERNAL_SOURCE."__mart_key_0" IS NOT DISTINCT FROM DBT_INTERNAL_DEST."__mart_key_0"
WHERE DBT_INTERNAL_DEST.__mart_found IS NULL
  OR (DBT_INTERNAL_SOURCE."v" IS DISTINCT FROM DBT_INTERNAL_DEST."v")
  OR DBT_INTERNAL_DEST."dbt_is_deleted" = 'True';

CREATE TEMP TABLE temp.main."s__mart_tmp_3" AS
SELECT * FROM (SELECT *, (id || '-' || upper(v)) AS "__mart_key_0" FROM "main"."s") AS DBT_INTERNAL_DEST
WHERE DBT_INTERNAL_DEST."dbt_valid_to" IS NULL
  AND DBT_INTERNAL_DEST."dbt_is_deleted" IS DISTINCT FROM 'True'
  AND NOT EXISTS (SELECT 1 FROM temp.main."s__mart_tmp_1" AS DBT_INTERNAL_SOURCE WHERE DBT_INTERNAL_SOURCE."__mart_key_0" IS NOT DISTINCT FROM DBT_INTERNAL_DEST."__mart_key_0");

UPDATE "main"."s" AS DBT_INTERNAL_DEST
SET "dbt_valid_to" = DBT_INTERNAL_SOURCE.__mart_valid_from
FROM temp.main."s__mart_tmp_2" AS DBT_INTERNAL_SOURCE
WHERE DBT_INTERNAL_SOURCE.__mart_close AND DBT_INTERNAL_DEST."dbt_scd_id" = DBT_INTERNAL_SOURCE.__mart_cur_scd AND DBT_INTERNAL_DEST."dbt_valid_to" IS NULL;

UPDATE "main"."s" AS DBT_INTERNAL_DEST
SET "dbt_valid_to" = TIMESTAMP '2026-03-05 12:00:00'
FROM temp.main."s__mart_tmp_3" AS DBT_INTERNAL_SOURCE
WHERE DBT_INTERNAL_DEST."dbt_scd_id" = DBT_INTERNAL_SOURCE."dbt_scd_id" AND DBT_INTERNAL_DEST."dbt_valid_to" IS NULL;

INSERT INTO "main"."s" ("id", "v", "updated_at", "dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to", "dbt_is_deleted")
SELECT "id", "v", "updated_at",
  md5(coalesce(CAST("__mart_key_0" AS VARCHAR), '') || '|' || coalesce(CAST(__mart_valid_from AS VARCHAR), '')),
  __mart_updated_at,
  __mart_valid_from,
  CAST(NULL AS TIMESTAMP),
  'False'
FROM temp.main."s__mart_tmp_2";

INSERT INTO "main"."s" ("id", "v", "updated_at", "dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to", "dbt_is_deleted")
SELECT "id", "v", "updated_at",
  md5(coalesce(CAST("__mart_key_0" AS VARCHAR), '') || '|' || coalesce(CAST(TIMESTAMP '2026-03-05 12:00:00' AS VARCHAR), '')),
  TIMESTAMP '2026-03-05 12:00:00',
  TIMESTAMP '2026-03-05 12:00:00',
  CAST(NULL AS TIMESTAMP),
  'True'
FROM temp.main."s__mart_tmp_3";

DROP TABLE temp.main."s__mart_tmp_2";

DROP TABLE temp.main."s__mart_tmp_1";

DROP TABLE temp.main."s__mart_tmp_3";
