ALTER TABLE `proj.mart.stg_customers` RENAME TO `stg_customers__mart_tmp_0000000000000000`;
BEGIN
  CREATE VIEW `proj.mart.stg_customers` AS (
SELECT id, name, email, updated_at FROM `proj.raw.customers`
);
EXCEPTION WHEN ERROR THEN
  ALTER TABLE `proj.mart.stg_customers__mart_tmp_0000000000000000` RENAME TO `stg_customers`;
  RAISE;
END;
DROP TABLE `proj.mart.stg_customers__mart_tmp_0000000000000000`
