-- Net revenue is the same whichever mart it is read from: payments, the
-- reservation fact and the channel aggregate must agree to the cent.
with by_payment as (

    select sum(signed_amount) as net_revenue
    from {{ ref('fct_payments') }}
    where is_revenue

),

by_reservation as (

    select sum(net_revenue) as net_revenue
    from {{ ref('fct_reservations') }}

),

by_channel as (

    select sum(net_revenue) as net_revenue
    from {{ ref('agg_revenue_by_channel') }}

)

select
    p.net_revenue as payments_net_revenue,
    r.net_revenue as reservations_net_revenue,
    c.net_revenue as channel_net_revenue
from by_payment as p
cross join by_reservation as r
cross join by_channel as c
where p.net_revenue <> r.net_revenue
    or p.net_revenue <> c.net_revenue
