DECLARE mart_dup_keys INT64 DEFAULT 0;
DECLARE mart_dup_rows INT64 DEFAULT 0;
DECLARE mart_dup_examples ARRAY<STRUCT<k ARRAY<STRING>, n INT64>> DEFAULT [];
DECLARE mart_outside INT64 DEFAULT 0;
DECLARE mart_rows INT64 DEFAULT 0;
DECLARE mart_deleted INT64 DEFAULT 0;
CREATE TEMP TABLE mart_batch AS (
SELECT rental_id, store_id, customer_id, amount, rented_at, DATE(rented_at) AS rental_date
FROM `proj.raw.rentals`
WHERE rented_at >= TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 3 DAY)
);
SET (mart_dup_keys, mart_dup_rows) = (
  SELECT AS STRUCT COUNT(*), IFNULL(SUM(n), 0)
  FROM (SELECT COUNT(*) AS n FROM mart_batch GROUP BY `rental_id` HAVING COUNT(*) > 1)
);
SET mart_dup_examples = ARRAY(
  SELECT AS STRUCT [IFNULL(CAST(`rental_id` AS STRING), 'NULL')] AS k, COUNT(*) AS n
  FROM mart_batch GROUP BY `rental_id` HAVING COUNT(*) > 1
  ORDER BY n DESC, `rental_id`
  LIMIT 5
);
IF mart_dup_keys = 0 THEN
  CREATE OR REPLACE TABLE `proj.mart.fct_rentals`
  PARTITION BY TIMESTAMP_TRUNC(`rented_at`, DAY)
  CLUSTER BY `store_id`, `customer_id`
  OPTIONS(
    description = 'Rentals, one row per rental. It\'s the core fact.',
    labels = [('cost_center', 'mart-42'), ('team', 'data')],
    partition_expiration_days = 30,
    require_partition_filter = TRUE
  )
  AS (
  SELECT * FROM mart_batch
  );
  SET mart_rows = (SELECT COUNT(*) FROM mart_batch);
  ALTER TABLE `proj.mart.fct_rentals` ALTER COLUMN IF EXISTS `amount` SET OPTIONS(description = 'Paid, in EUR');
  ALTER TABLE `proj.mart.fct_rentals` ALTER COLUMN IF EXISTS `no_such_column` SET OPTIONS(description = 'ignored');
  ALTER TABLE `proj.mart.fct_rentals` ALTER COLUMN IF EXISTS `rental_id` SET OPTIONS(description = 'The rental');
END IF;
SELECT mart_dup_keys AS dup_keys, mart_dup_rows AS dup_rows, mart_dup_examples AS dup_examples, mart_outside AS outside, mart_rows AS rows_written, mart_deleted AS rows_deleted
