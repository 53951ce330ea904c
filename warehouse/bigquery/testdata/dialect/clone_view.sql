CREATE OR REPLACE VIEW `proj.pr_42.fct_rentals` AS SELECT * FROM `prod-proj.mart.fct_rentals`
