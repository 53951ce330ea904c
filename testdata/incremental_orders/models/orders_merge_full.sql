{{ config(materialized='table') }}
select order_id, customer_id, amount, status, ordered_at, updated_at, loaded_at, deleted
from {{ ref('raw_orders') }}
