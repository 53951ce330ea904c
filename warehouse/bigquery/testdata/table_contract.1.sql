CREATE OR REPLACE TABLE `proj.mart.dim_customers` (
  `id` INT64 NOT NULL,
  `name` STRING,
  `email` STRING,
  `updated_at` TIMESTAMP
)
AS (
SELECT `id`, `name`, `email`, `updated_at` FROM (
SELECT id, name, email, updated_at FROM `proj.raw.customers`
)
)
