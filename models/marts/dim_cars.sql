{{ config(tags=['core']) }}

{% set statuses = ['completed', 'cancelled', 'no_show', 'active'] %}

-- One row per car that has ever been in the fleet, with its lifetime usage.
with cars as (

    select
        *,
        coalesce(retired_at, {{ as_of_timestamp() }}) as in_fleet_until
    from {{ ref('stg_cars') }}

),

zones as (

    select * from {{ ref('stg_zones') }}

),

usage as (

    select
        car_id,
        count(*) as n_reservations,
        {{ status_counts('status', statuses) }},
        sum(coalesce(driven_minutes, 0)) as driven_minutes,
        sum(coalesce(distance_km, 0)) as distance_km,
        sum(net_revenue) as net_revenue
    from {{ ref('fct_reservations') }}
    group by car_id

),

cars_enriched as (

    select
        c.car_id,
        c.plate,
        c.model,
        c.fuel,
        c.seats,
        c.home_zone_id,
        z.city,
        z.zone_name,
        c.added_at,
        c.retired_at,
        c.is_retired,
        {{ dbt.datediff('c.added_at', 'c.in_fleet_until', 'day') }} as days_in_fleet,
        coalesce(u.n_reservations, 0) as n_reservations,
        {%- for status in statuses %}
        coalesce(u.n_{{ status }}, 0) as n_{{ status }},
        {%- endfor %}
        coalesce(u.driven_minutes, 0) as driven_minutes,
        coalesce(u.distance_km, 0) as distance_km,
        coalesce(u.net_revenue, 0) as net_revenue
    from cars as c
    left join zones as z
        on z.zone_id = c.home_zone_id
    left join usage as u
        on u.car_id = c.car_id

)

select
    *,
    cast(net_revenue / nullif(days_in_fleet, 0) as numeric(18, 2)) as net_revenue_per_fleet_day,
    {{ dbt.current_timestamp() }} as _loaded_at
from cars_enriched
