CREATE OR REPLACE VIEW `proj.mart.stg_customers` AS (
SELECT id, name, email, updated_at FROM `proj.raw.customers`
)
