select
    order_id,
    customer_id,
    cast(ordered_at as date) as order_day,
    amount_cents
from "raw_shop"."orders"
