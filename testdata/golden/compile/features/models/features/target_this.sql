-- target dev (duckdb), default schema analytics
-- this is "analytics"."target_this": schema analytics, identifier target_this
select order_id, amount_cents, '<run_started_at>' as compiled_at
from "analytics_staging"."stg_orders"
