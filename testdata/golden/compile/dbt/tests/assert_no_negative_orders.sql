-- singular test: fails on customers with a negative order count
select customer_id from "dbt_dev"."customers" where number_of_orders < 0
