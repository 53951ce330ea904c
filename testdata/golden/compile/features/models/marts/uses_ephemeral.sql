-- a model with its own WITH clause, on top of nested ephemerals
with __mart__cte__eph_base as (
select order_id, amount_cents from "analytics_staging"."stg_orders"
),
__mart__cte__eph_mid as (
select order_id, amount_cents * 2 as doubled from __mart__cte__eph_base
),
totals as (
    select order_id, doubled from __mart__cte__eph_mid
),
bases as (
    select order_id from __mart__cte__eph_base
)
select t.order_id, t.doubled
from totals t join bases b using (order_id)
