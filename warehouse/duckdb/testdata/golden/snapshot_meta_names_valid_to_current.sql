CREATE TEMP TABLE temp.main."s__mart_tmp_1" AS (
SELECT 1 AS id, 'a' AS v, TIMESTAMP '2026-03-03' AS updated_at
);

SELECT column_name, column_type FROM (DESCRIBE temp.main."s__mart_tmp_1");

SELECT count(*) FILTER (WHERE has_prev AND k0 IS NOT DISTINCT FROM p0 AND k1 IS NOT DISTINCT FROM p1), count(*) FILTER (WHERE k0 IS NULL OR k1 IS NULL) FROM (
  SELECT "id" AS k0, lag("id") OVER w AS p0, "v" AS k1, lag("v") OVER w AS p1, lag(true) OVER w IS NOT NULL AS has_prev
  FROM temp.main."s__mart_tmp_1"
  WINDOW w AS (ORDER BY "id", "v")
);

SELECT column_name, column_type FROM (DESCRIBE "main"."s");

CREATE TEMP TABLE temp.main."s__mart_tmp_2" AS
SELECT DBT_INTERNAL_SOURCE.*,
  DBT_INTERNAL_SOURCE."updated_at" AS __mart_valid_from,
  DBT_INTERNAL_SOURCE."updated_at" AS __mart_updated_at,
  DBT_INTERNAL_DEST.__mart_found IS NOT NULL AS __mart_close
FROM temp.main."s__mart_tmp_1" AS DBT_INTERNAL_SOURCE
LEFT JOIN (
  SELECT *, true AS __mart_found FROM "main"."s" AS DBT_INTERNAL_DEST WHERE (DBT_INTERNAL_DEST."valid_to" IS NULL OR DBT_INTERNAL_DEST."valid_to" = CAST(TIMESTAMP '9999-12-31' AS TIMESTAMP))
) AS DBT_INTERNAL_DEST
  ON DBT_INTERNAL_SOURCE."id" IS NOT DISTINCT FROM DBT_INTERNAL_DEST."id" AND DBT_INTERNAL_SOURCE."v" IS NOT DISTINCT FROM DBT_INTERNAL_DEST."v"
WHERE DBT_INTERNAL_DEST.__mart_found IS NULL
  OR (DBT_INTERNAL_DEST."seen_at" < DBT_INTERNAL_SOURCE."updated_at");

CREATE TEMP TABLE temp.main."s__mart_tmp_3" AS
SELECT * FROM "main"."s" AS DBT_INTERNAL_DEST
WHERE (DBT_INTERNAL_DEST."valid_to" IS NULL OR DBT_INTERNAL_DEST."valid_to" = CAST(TIMESTAMP '9999-12-31' AS TIMESTAMP))
  AND NOT EXISTS (SELECT 1 FROM temp.main."s__mart_tmp_1" AS DBT_INTERNAL_SOURCE WHERE DBT_INTERNAL_SOURCE."id" IS NOT DISTINCT FROM DBT_INTERNAL_DEST."id" AND DBT_INTERNAL_SOURCE."v" IS NOT DISTINCT FROM DBT_INTERNAL_DEST."v");

UPDATE "main"."s" AS DBT_INTERNAL_DEST
SET "valid_to" = DBT_INTERNAL_SOURCE.__mart_valid_from
FROM temp.main."s__mart_tmp_2" AS DBT_INTERNAL_SOURCE
WHERE DBT_INTERNAL_SOURCE.__mart_close AND DBT_INTERNAL_SOURCE."id" IS NOT DISTINCT FROM DBT_INTERNAL_DEST."id" AND DBT_INTERNAL_SOURCE."v" IS NOT DISTINCT FROM DBT_INTERNAL_DEST."v" AND (DBT_INTERNAL_DEST."valid_to" IS NULL OR DBT_INTERNAL_DEST."valid_to" = CAST(TIMESTAMP '9999-12-31' AS TIMESTAMP));

UPDATE "main"."s" AS DBT_INTERNAL_DEST
SET "valid_to" = TIMESTAMP '2026-03-05 12:00:00'
FROM temp.main."s__mart_tmp_3" AS DBT_INTERNAL_SOURCE
WHERE DBT_INTERNAL_SOURCE."id" IS NOT DISTINCT FROM DBT_INTERNAL_DEST."id" AND DBT_INTERNAL_SOURCE."v" IS NOT DISTINCT FROM DBT_INTERNAL_DEST."v" AND (DBT_INTERNAL_DEST."valid_to" IS NULL OR DBT_INTERNAL_DEST."valid_to" = CAST(TIMESTAMP '9999-12-31' AS TIMESTAMP));

INSERT INTO "main"."s" ("id", "v", "updated_at", "version_id", "seen_at", "valid_from", "valid_to")
SELECT "id", "v", "updated_at",
  md5(coalesce(CAST("id" AS VARCHAR), '') || '|' || coalesce(CAST("v" AS VARCHAR), '') || '|' || coalesce(CAST(__mart_valid_from AS VARCHAR), '')),
  __mart_updated_at,
  __mart_valid_from,
  CAST(TIMESTAMP '9999-12-31' AS TIMESTAMP)
FROM temp.main."s__mart_tmp_2";

DROP TABLE temp.main."s__mart_tmp_2";

DROP TABLE temp.main."s__mart_tmp_1";

DROP TABLE temp.main."s__mart_tmp_3";
