select order_id
from "dbt_dev_staging"."stg_orders"
where order_id is null
