select customer_id
from "dbt_dev"."customers"
where customer_id is null
