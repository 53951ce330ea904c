-- Refunds never exceed what was charged: per reservation, succeeded refunds
-- must add up to at most the succeeded charges. Returns the offenders.
select
    reservation_id,
    sum(case when kind = 'charge' then amount_cents else 0 end) as charged_cents,
    sum(case when kind = 'refund' then amount_cents else 0 end) as refunded_cents
from {{ ref('fct_payments') }}
where status = 'succeeded'
group by reservation_id
having sum(case when kind = 'refund' then amount_cents else 0 end)
    > sum(case when kind = 'charge' then amount_cents else 0 end)
