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
  CREATE TABLE `proj.mart.customers_snapshot` AS
  SELECT * EXCEPT (`mart_key_0`),
    TO_HEX(MD5(CONCAT(IFNULL(CAST(`mart_key_0` AS STRING), ''), '|', IFNULL(CAST(`updated_at` AS STRING), '')))) AS `dbt_scd_id`,
    `updated_at` AS `dbt_updated_at`,
    `updated_at` AS `dbt_valid_from`,
    CAST(NULL AS TIMESTAMP) AS `dbt_valid_to`
  FROM mart_batch;
  SET mart_inserted = (SELECT COUNT(*) FROM mart_batch);
END IF;
SELECT mart_dup_keys AS dup_keys, mart_dup_rows AS dup_rows, mart_dup_examples AS dup_examples, mart_inserted AS rows_inserted, mart_closed AS rows_closed
