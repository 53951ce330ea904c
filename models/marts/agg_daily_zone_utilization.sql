{{ config(tags=['ops']) }}

{% set statuses = ['completed', 'cancelled', 'no_show', 'active'] %}

-- One row per zone and day: bookings by status, minutes the zone's cars were
-- on a trip and the share of the fleet's time that is (utilization_pct).
-- A trip that spans midnight counts towards each day it covers.
with reservations as (

    select * from {{ ref('fct_reservations') }}

),

days as (

    select distinct
        reservation_date as activity_date,
        cast(reservation_date as timestamp) as day_start
    from reservations
    where start_at < {{ as_of_timestamp() }}

),

zones as (

    select zone_id, city, zone_name from {{ ref('dim_zones') }}

),

fleet as (

    select
        d.activity_date,
        c.home_zone_id as zone_id,
        count(*) as n_cars
    from days as d
    inner join {{ ref('dim_cars') }} as c
        on cast(c.added_at as date) <= d.activity_date
        and (c.retired_at is null or cast(c.retired_at as date) >= d.activity_date)
    group by d.activity_date, c.home_zone_id

),

bookings as (

    select
        zone_id,
        reservation_date as activity_date,
        count(*) as n_reservations,
        {{ status_counts('status', statuses) }},
        sum(net_revenue) as net_revenue
    from reservations
    group by zone_id, reservation_date

),

trip_days as (

    -- minutes of each completed trip that fall on each day, measured from
    -- that day's midnight and clipped to [0, 1440]
    select
        r.zone_id,
        d.activity_date,
        least({{ dbt.datediff('d.day_start', 'r.returned_at', 'minute') }}, 1440)
        - greatest({{ dbt.datediff('d.day_start', 'r.start_at', 'minute') }}, 0) as trip_minutes
    from reservations as r
    inner join days as d
        on d.activity_date >= r.reservation_date
        and d.activity_date <= cast(r.returned_at as date)
    where r.status = 'completed'

),

usage as (

    select
        zone_id,
        activity_date,
        sum(trip_minutes) as trip_minutes
    from trip_days
    group by zone_id, activity_date

)

select
    cast(d.activity_date as {{ dbt.type_string() }}) || '/' || cast(z.zone_id as {{ dbt.type_string() }}) as zone_day_key,
    d.activity_date,
    z.zone_id,
    z.city,
    z.zone_name,
    coalesce(f.n_cars, 0) as n_cars,
    coalesce(b.n_reservations, 0) as n_reservations,
    {%- for status in statuses %}
    coalesce(b.n_{{ status }}, 0) as n_{{ status }},
    {%- endfor %}
    coalesce(u.trip_minutes, 0) as trip_minutes,
    case
        when coalesce(f.n_cars, 0) = 0 then null
        else round(100.0 * coalesce(u.trip_minutes, 0) / (f.n_cars * 1440), 2)
    end as utilization_pct,
    coalesce(b.net_revenue, 0) as net_revenue
from days as d
cross join zones as z
left join fleet as f
    on f.activity_date = d.activity_date and f.zone_id = z.zone_id
left join bookings as b
    on b.activity_date = d.activity_date and b.zone_id = z.zone_id
left join usage as u
    on u.activity_date = d.activity_date and u.zone_id = z.zone_id
