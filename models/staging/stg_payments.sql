with source as (

    select * from {{ source('raw', 'payments') }}

)

select
    cast(payment_id as bigint) as payment_id,
    cast(reservation_id as bigint) as reservation_id,
    cast(member_id as bigint) as member_id,
    cast(paid_at as timestamp) as paid_at,
    upper(currency) as currency,
    lower(method) as method,
    lower(kind) as kind,
    lower(status) as status,
    cast(amount_cents as bigint) as amount_cents,
    case
        when lower(kind) = 'refund' then -cast(amount_cents as bigint)
        else cast(amount_cents as bigint)
    end as signed_amount_cents
from source
