DECLARE mart_dup_keys INT64 DEFAULT 0;
DECLARE mart_dup_rows INT64 DEFAULT 0;
DECLARE mart_dup_examples ARRAY<STRUCT<k ARRAY<STRING>, n INT64>> DEFAULT [];
DECLARE mart_outside INT64 DEFAULT 0;
DECLARE mart_rows INT64 DEFAULT 0;
DECLARE mart_deleted INT64 DEFAULT 0;
DECLARE mart_partitions ARRAY<INT64>;
DECLARE mart_null_partition BOOL DEFAULT FALSE;
CREATE TEMP TABLE mart_batch AS (
SELECT rental_id, store_id, customer_id, amount, rented_at, DATE(rented_at) AS rental_date
FROM `proj.raw.rentals`
WHERE rented_at >= TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 3 DAY)
);
SET mart_partitions = (SELECT ARRAY_AGG(DISTINCT RANGE_BUCKET(`store_id`, GENERATE_ARRAY(0, 100, 10)) IGNORE NULLS) FROM mart_batch);
SET mart_null_partition = (SELECT IFNULL(LOGICAL_OR(`store_id` IS NULL), FALSE) FROM mart_batch);
BEGIN
  BEGIN TRANSACTION;
  DELETE FROM `proj.mart.fct_rentals` AS DBT_INTERNAL_DEST
  WHERE (RANGE_BUCKET(DBT_INTERNAL_DEST.`store_id`, GENERATE_ARRAY(0, 100, 10)) IN UNNEST(mart_partitions) OR (mart_null_partition AND DBT_INTERNAL_DEST.`store_id` IS NULL));
  SET mart_deleted = @@row_count;
  INSERT INTO `proj.mart.fct_rentals` (`rental_id`, `store_id`, `customer_id`, `amount`, `rented_at`, `rental_date`)
  SELECT `rental_id`, `store_id`, `customer_id`, `amount`, `rented_at`, `rental_date` FROM mart_batch;
  SET mart_rows = @@row_count;
  COMMIT TRANSACTION;
EXCEPTION WHEN ERROR THEN
  ROLLBACK TRANSACTION;
  RAISE;
END;
SELECT mart_dup_keys AS dup_keys, mart_dup_rows AS dup_rows, mart_dup_examples AS dup_examples, mart_outside AS outside, mart_rows AS rows_written, mart_deleted AS rows_deleted
