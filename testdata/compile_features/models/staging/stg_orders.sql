{{ config(
    materialized='table',
    tags=['nightly'],
    unique_key=['order_id', 'order_day'],
    meta={'owner': 'data', 'tier': 1, 'pii': false}
) }}
select
    order_id,
    customer_id,
    cast(ordered_at as date) as order_day,
    amount_cents
from {{ source('shop', 'orders') }}
