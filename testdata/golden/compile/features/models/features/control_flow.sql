select
    /* 1 of 3, first */ order_id,
    /* 2 of 3 */ customer_id,
    /* 3 of 3, last */ amount_cents,
    order_day as day,
    customer_id as buyer_id,
    1 as method_card,
    2 as method_bank_transfer,
    3 as method_voucher
from "analytics_staging"."stg_orders"
-- an empty loop runs its else block
