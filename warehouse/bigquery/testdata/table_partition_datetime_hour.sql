CREATE OR REPLACE TABLE `proj.mart.fct_rentals`
PARTITION BY DATETIME_TRUNC(`rented_at_local`, HOUR)
AS (
SELECT DATETIME(rented_at) AS rented_at_local FROM `proj.raw.rentals`
)
