{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key=['customer_id']) }}
-- Per-customer totals; an incremental run recomputes the customers that
-- have any row loaded since the last run.
select
    customer_id,
    count(*) filter (where not deleted) as n_orders,
    coalesce(sum(amount) filter (where not deleted), 0) as total,
    max(loaded_at) as loaded_at
from {{ ref('raw_orders') }}
{% if is_incremental() %}
where customer_id in (
    select customer_id from {{ ref('raw_orders') }}
    where loaded_at > (select coalesce(max(loaded_at), -1) from {{ this }})
)
{% endif %}
group by customer_id
