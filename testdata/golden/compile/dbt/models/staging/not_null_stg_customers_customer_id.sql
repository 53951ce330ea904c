select customer_id
from "dbt_dev_staging"."stg_customers"
where customer_id is null
