CREATE OR REPLACE TABLE `proj.mart.fct_rentals`
PARTITION BY DATE_TRUNC(`rental_date`, MONTH)
CLUSTER BY `store_id`
AS (
SELECT rental_id, store_id, customer_id, amount, rented_at, DATE(rented_at) AS rental_date
FROM `proj.raw.rentals`
WHERE rented_at >= TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 3 DAY)
)
