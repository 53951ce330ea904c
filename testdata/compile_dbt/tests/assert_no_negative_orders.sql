-- singular test: fails on customers with a negative order count
select customer_id from {{ ref('customers') }} where number_of_orders < 0
