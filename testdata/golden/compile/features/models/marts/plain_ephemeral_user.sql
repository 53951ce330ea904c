with __mart__cte__eph_base as (
select order_id, amount_cents from "analytics_staging"."stg_orders"
),
__mart__cte__eph_mid as (
select order_id, amount_cents * 2 as doubled from __mart__cte__eph_base
)
select * from __mart__cte__eph_mid
