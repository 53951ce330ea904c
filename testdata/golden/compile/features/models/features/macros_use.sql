select
    round(amount_cents / 100.0, 2) as amount,
    round(amount_cents / 100.0, 0) as amount_rounded,
    round(amount_cents / 100.0, 3) as amount_kw,
    (round(amount_cents / 100.0, 4) + 5) as total
from "analytics_staging"."stg_orders"
