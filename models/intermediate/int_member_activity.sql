-- Everything a member did, rolled up to one row per member (members without
-- any reservation or app event get zeros).
{% set statuses = ['completed', 'cancelled', 'no_show', 'active'] %}

with members as (

    select member_id from {{ ref('stg_members') }}

),

reservations as (

    select * from {{ ref('stg_reservations') }}

),

payments as (

    select * from {{ ref('int_reservation_payments') }}

),

reservation_activity as (

    select
        r.member_id,
        count(*) as n_reservations,
        {{ status_counts('r.status', statuses) }},
        min(r.start_at) as first_reservation_at,
        max(case when r.status = 'completed' then r.start_at end) as last_trip_at,
        sum(coalesce(r.driven_minutes, 0)) as driven_minutes,
        sum(coalesce(r.distance_km, 0)) as distance_km,
        sum(coalesce(p.net_revenue_cents, 0)) as net_revenue_cents
    from reservations as r
    left join payments as p
        on p.reservation_id = r.reservation_id
    group by r.member_id

),

app_activity as (

    select
        member_id,
        count(*) as n_app_events,
        max(occurred_at) as last_seen_at
    from {{ ref('stg_app_events') }}
    group by member_id

)

select
    m.member_id,
    coalesce(ra.n_reservations, 0) as n_reservations,
    {%- for status in statuses %}
    coalesce(ra.n_{{ status }}, 0) as n_{{ status }},
    {%- endfor %}
    ra.first_reservation_at,
    ra.last_trip_at,
    coalesce(ra.driven_minutes, 0) as driven_minutes,
    coalesce(ra.distance_km, 0) as distance_km,
    coalesce(ra.net_revenue_cents, 0) as net_revenue_cents,
    coalesce(aa.n_app_events, 0) as n_app_events,
    aa.last_seen_at
from members as m
left join reservation_activity as ra
    on ra.member_id = m.member_id
left join app_activity as aa
    on aa.member_id = m.member_id
