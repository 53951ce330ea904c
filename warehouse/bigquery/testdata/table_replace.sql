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
SELECT rental_id, store_id, customer_id, amount, rented_at, DATE(rented_at) AS rental_date
FROM `proj.raw.rentals`
WHERE rented_at >= TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 3 DAY)
);
ALTER TABLE `proj.mart.fct_rentals` ALTER COLUMN IF EXISTS `amount` SET OPTIONS(description = 'Paid, in EUR');
ALTER TABLE `proj.mart.fct_rentals` ALTER COLUMN IF EXISTS `no_such_column` SET OPTIONS(description = 'ignored');
ALTER TABLE `proj.mart.fct_rentals` ALTER COLUMN IF EXISTS `rental_id` SET OPTIONS(description = 'The rental')
