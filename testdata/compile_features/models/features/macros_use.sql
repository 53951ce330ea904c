{{ as_table() }}
select
    {{ cents_to_dollars('amount_cents') }} as amount,
    {{ cents_to_dollars('amount_cents', 0) }} as amount_rounded,
    {{ cents_to_dollars(column='amount_cents', scale=3) }} as amount_kw,
    {{ order_total('amount_cents', fee=5) }} as total
from {{ ref('stg_orders') }}
