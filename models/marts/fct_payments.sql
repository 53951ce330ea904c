{{ config(materialized='incremental', incremental_strategy='append', tags=['finance']) }}

-- One row per payment attempt or refund. Payments are immutable once made,
-- so the incremental run only appends those newer than the last build.
select
    payment_id,
    reservation_id,
    member_id,
    paid_at,
    cast({{ dbt.date_trunc('day', 'paid_at') }} as date) as paid_date,
    kind,
    status,
    method,
    currency,
    amount_cents,
    {{ cents_to_currency('amount_cents') }} as amount,
    {{ cents_to_currency('signed_amount_cents') }} as signed_amount,
    case
        when status = 'succeeded' and currency = '{{ var("revenue_currency", "EUR") | upper }}' then true
        else false
    end as is_revenue
from {{ ref('stg_payments') }}
{% if is_incremental() %}
where paid_at > (select max(paid_at) from {{ this }})
{% endif %}
