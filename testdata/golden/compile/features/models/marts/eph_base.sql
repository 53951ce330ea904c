select order_id, amount_cents from "analytics_staging"."stg_orders"
