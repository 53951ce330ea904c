-- Payments rolled up to one row per reservation. Only payments in the
-- revenue currency count; amounts stay in cents until the marts.
with payments as (

    select * from {{ ref('stg_payments') }}
    where currency = '{{ var("revenue_currency", "EUR") | upper }}'

)

select
    reservation_id,
    count(*) as n_payment_attempts,
    sum(case when status = 'failed' then 1 else 0 end) as n_failed_payments,
    sum(case when kind = 'charge' and status = 'succeeded' then amount_cents else 0 end) as charged_cents,
    sum(case when kind = 'refund' and status = 'succeeded' then amount_cents else 0 end) as refunded_cents,
    sum(case when status = 'succeeded' then signed_amount_cents else 0 end) as net_revenue_cents,
    max(case when kind = 'charge' and status = 'succeeded' then method end) as charge_method,
    min(case when status = 'succeeded' then paid_at end) as first_paid_at,
    max(case when status = 'succeeded' then paid_at end) as last_paid_at
from payments
group by reservation_id
