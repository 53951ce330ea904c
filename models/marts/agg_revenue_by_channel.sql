{{ config(tags=['finance']) }}

{% set methods = ['card', 'paypal', 'voucher'] %}

-- Revenue per payment day and acquisition channel of the paying member, in
-- the revenue currency.
with payments as (

    select * from {{ ref('fct_payments') }}
    where currency = '{{ var("revenue_currency", "EUR") | upper }}'

),

members as (

    select member_id, signup_channel from {{ ref('dim_members') }}

)

select
    cast(p.paid_date as {{ dbt.type_string() }}) || '/' || m.signup_channel as revenue_key,
    p.paid_date,
    m.signup_channel,
    '{{ var("revenue_currency", "EUR") | upper }}' as currency,
    sum(case when p.kind = 'charge' and p.is_revenue then p.amount else 0 end) as gross_revenue,
    sum(case when p.kind = 'refund' and p.is_revenue then p.amount else 0 end) as refunds,
    sum(case when p.is_revenue then p.signed_amount else 0 end) as net_revenue,
    count(distinct case when p.is_revenue and p.kind = 'charge' then p.member_id end) as n_paying_members,
    sum(case when p.status = 'failed' then 1 else 0 end) as n_failed_payments,
    {{ status_counts('p.method', methods, suffix='_payments') }}
from payments as p
inner join members as m
    on m.member_id = p.member_id
group by p.paid_date, m.signup_channel
