{{ config(tags=['core']) }}

-- One row per zone with its fleet, its resident members and its demand.
with zones as (

    select * from {{ ref('stg_zones') }}

),

fleet as (

    select
        home_zone_id as zone_id,
        count(*) as n_cars_ever,
        sum(case when is_retired then 0 else 1 end) as n_cars,
        sum(case when fuel = 'ev' and not is_retired then 1 else 0 end) as n_ev_cars
    from {{ ref('stg_cars') }}
    group by home_zone_id

),

residents as (

    select
        home_zone_id as zone_id,
        count(*) as n_home_members
    from {{ ref('stg_members') }}
    where not is_deleted
    group by home_zone_id

),

demand as (

    select
        zone_id,
        count(*) as n_reservations,
        sum(case when status = 'completed' then 1 else 0 end) as n_completed
    from {{ ref('stg_reservations') }}
    group by zone_id

)

select
    z.zone_id,
    z.city,
    z.zone_name,
    z.zone_label,
    z.area_km2,
    z.lat,
    z.lon,
    coalesce(f.n_cars_ever, 0) as n_cars_ever,
    coalesce(f.n_cars, 0) as n_cars,
    coalesce(f.n_ev_cars, 0) as n_ev_cars,
    cast(coalesce(f.n_cars, 0) / z.area_km2 as numeric(10, 2)) as cars_per_km2,
    coalesce(r.n_home_members, 0) as n_home_members,
    coalesce(d.n_reservations, 0) as n_reservations,
    coalesce(d.n_completed, 0) as n_completed,
    {{ dbt.current_timestamp() }} as _loaded_at
from zones as z
left join fleet as f
    on f.zone_id = z.zone_id
left join residents as r
    on r.zone_id = z.zone_id
left join demand as d
    on d.zone_id = z.zone_id
