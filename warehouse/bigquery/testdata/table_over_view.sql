CREATE OR REPLACE TABLE `proj.mart.fct_rentals__mart_tmp_0000000000000000`
OPTIONS(
  expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 1 DAY)
)
AS (
SELECT rental_id, store_id, customer_id, amount, rented_at, DATE(rented_at) AS rental_date
FROM `proj.raw.rentals`
WHERE rented_at >= TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 3 DAY)
);
BEGIN
  ALTER TABLE `proj.mart.fct_rentals__mart_tmp_0000000000000000` SET OPTIONS(expiration_timestamp = NULL);
  DROP VIEW IF EXISTS `proj.mart.fct_rentals`;
  ALTER TABLE `proj.mart.fct_rentals__mart_tmp_0000000000000000` RENAME TO `fct_rentals`;
EXCEPTION WHEN ERROR THEN
  DROP TABLE IF EXISTS `proj.mart.fct_rentals__mart_tmp_0000000000000000`;
  RAISE;
END
