{{ config(materialized='table') }}
select
    customer_id,
    count(*) filter (where not deleted) as n_orders,
    coalesce(sum(amount) filter (where not deleted), 0) as total,
    max(loaded_at) as loaded_at
from {{ ref('raw_orders') }}
group by customer_id
