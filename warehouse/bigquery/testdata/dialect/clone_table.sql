CREATE OR REPLACE TABLE `proj.pr_42.fct_rentals` CLONE `prod-proj.mart.fct_rentals`
