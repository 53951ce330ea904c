DECLARE mart_dup_keys INT64 DEFAULT 0;
DECLARE mart_dup_rows INT64 DEFAULT 0;
DECLARE mart_dup_examples ARRAY<STRUCT<k ARRAY<STRING>, n INT64>> DEFAULT [];
DECLARE mart_inserted INT64 DEFAULT 0;
DECLARE mart_closed INT64 DEFAULT 0;
CREATE TEMP TABLE mart_batch AS (
SELECT *, (CAST(id AS STRING) || '-' || email) AS `mart_key_0` FROM (
SELECT id, name, email, updated_at FROM `proj.raw.customers`
) AS mart_snapshot_rows
);
SET (mart_dup_keys, mart_dup_rows) = (
  SELECT AS STRUCT COUNT(*), IFNULL(SUM(n), 0)
  FROM (SELECT COUNT(*) AS n FROM mart_batch GROUP BY `mart_key_0` HAVING COUNT(*) > 1)
);
SET mart_dup_examples = ARRAY(
  SELECT AS STRUCT [IFNULL(CAST(`mart_key_0` AS STRING), 'NULL')] AS k, COUNT(*) AS n
  FROM mart_batch GROUP BY `mart_key_0` HAVING COUNT(*) > 1
  ORDER BY n DESC, `mart_key_0`
  LIMIT 5
);
IF mart_dup_keys = 0 THEN
  ALTER TABLE `proj.mart.customers_snapshot` ADD COLUMN `dbt_is_deleted` STRING;
  CREATE TEMP TABLE mart_changes AS
  SELECT DBT_INTERNAL_SOURCE.*,
    TIMESTAMP '2026-03-10 04:05:06+00' AS mart_valid_from,
    TIMESTAMP '2026-03-10 04:05:06+00' AS mart_updated_at,
    DBT_INTERNAL_DEST.mart_found IS NOT NULL AS mart_close,
    DBT_INTERNAL_DEST.`dbt_scd_id` AS mart_cur_scd
  FROM mart_batch AS DBT_INTERNAL_SOURCE
  LEFT JOIN (
    SELECT *, TRUE AS mart_found, (CAST(id AS STRING) || '-' || email) AS `mart_key_0` FROM `proj.mart.customers_snapshot` AS DBT_INTERNAL_DEST WHERE DBT_INTERNAL_DEST.`dbt_valid_to` IS NULL
  ) AS DBT_INTERNAL_DEST
    ON TO_JSON_STRING(STRUCT(DBT_INTERNAL_SOURCE.`mart_key_0`)) = TO_JSON_STRING(STRUCT(DBT_INTERNAL_DEST.`mart_key_0`))
  WHERE DBT_INTERNAL_DEST.mart_found IS NULL
    OR (DBT_INTERNAL_SOURCE.`name` IS DISTINCT FROM DBT_INTERNAL_DEST.`name`)
    OR DBT_INTERNAL_DEST.`dbt_is_deleted` = 'True';
  CREATE TEMP TABLE mart_gone AS
  SELECT * FROM (SELECT *, (CAST(id AS STRING) || '-' || email) AS `mart_key_0` FROM `proj.mart.customers_snapshot`) AS DBT_INTERNAL_DEST
  WHERE DBT_INTERNAL_DEST.`dbt_valid_to` IS NULL
    AND DBT_INTERNAL_DEST.`dbt_is_deleted` IS DISTINCT FROM 'True'
    AND NOT EXISTS (SELECT 1 FROM mart_batch AS DBT_INTERNAL_SOURCE WHERE TO_JSON_STRING(STRUCT(DBT_INTERNAL_SOURCE.`mart_key_0`)) = TO_JSON_STRING(STRUCT(DBT_INTERNAL_DEST.`mart_key_0`)));
  BEGIN
    BEGIN TRANSACTION;
    UPDATE `proj.mart.customers_snapshot` AS DBT_INTERNAL_DEST
    SET `dbt_valid_to` = DBT_INTERNAL_SOURCE.mart_valid_from
    FROM mart_changes AS DBT_INTERNAL_SOURCE
    WHERE DBT_INTERNAL_SOURCE.mart_close AND DBT_INTERNAL_DEST.`dbt_scd_id` = DBT_INTERNAL_SOURCE.mart_cur_scd AND DBT_INTERNAL_DEST.`dbt_valid_to` IS NULL;
    SET mart_closed = @@row_count;
    UPDATE `proj.mart.customers_snapshot` AS DBT_INTERNAL_DEST
    SET `dbt_valid_to` = TIMESTAMP '2026-03-10 04:05:06+00'
    FROM mart_gone AS DBT_INTERNAL_SOURCE
    WHERE DBT_INTERNAL_DEST.`dbt_scd_id` = DBT_INTERNAL_SOURCE.`dbt_scd_id` AND DBT_INTERNAL_DEST.`dbt_valid_to` IS NULL;
    SET mart_closed = mart_closed + @@row_count;
    INSERT INTO `proj.mart.customers_snapshot` (`id`, `name`, `email`, `updated_at`, `dbt_scd_id`, `dbt_updated_at`, `dbt_valid_from`, `dbt_valid_to`, `dbt_is_deleted`)
    SELECT `id`, `name`, `email`, `updated_at`,
      TO_HEX(MD5(CONCAT(IFNULL(CAST(`mart_key_0` AS STRING), ''), '|', IFNULL(CAST(mart_valid_from AS STRING), '')))),
      mart_updated_at,
      mart_valid_from,
      CAST(NULL AS TIMESTAMP),
      'False'
    FROM mart_changes;
    SET mart_inserted = @@row_count;
    INSERT INTO `proj.mart.customers_snapshot` (`id`, `name`, `email`, `updated_at`, `dbt_scd_id`, `dbt_updated_at`, `dbt_valid_from`, `dbt_valid_to`, `dbt_is_deleted`)
    SELECT `id`, `name`, `email`, `updated_at`,
      TO_HEX(MD5(CONCAT(IFNULL(CAST(`mart_key_0` AS STRING), ''), '|', IFNULL(CAST(TIMESTAMP '2026-03-10 04:05:06+00' AS STRING), '')))),
      TIMESTAMP '2026-03-10 04:05:06+00',
      TIMESTAMP '2026-03-10 04:05:06+00',
      CAST(NULL AS TIMESTAMP),
      'True'
    FROM mart_gone;
    SET mart_inserted = mart_inserted + @@row_count;
    COMMIT TRANSACTION;
  EXCEPTION WHEN ERROR THEN
    ROLLBACK TRANSACTION;
    ALTER TABLE `proj.mart.customers_snapshot` DROP COLUMN IF EXISTS `dbt_is_deleted`;
    RAISE;
  END;
END IF;
SELECT mart_dup_keys AS dup_keys, mart_dup_rows AS dup_rows, mart_dup_examples AS dup_examples, mart_inserted AS rows_inserted, mart_closed AS rows_closed
