select
    order_id,
    customer_id,
    order_date,
    sum(case when status = 'placed' then 1 else 0 end) as placed_count,
    sum(case when status = 'shipped' then 1 else 0 end) as shipped_count,
    sum(case when status = 'completed' then 1 else 0 end) as completed_count
    
from "dbt_dev_staging"."stg_orders"
group by 1, 2, 3
