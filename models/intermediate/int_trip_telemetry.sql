-- What the app reported during each trip: unlock and lock times, telemetry
-- pings and the member's rating, one row per reservation that has events.
with trip_events as (

    select * from {{ ref('stg_app_events') }}
    where reservation_id is not null

)

select
    reservation_id,
    min(case when event_type = 'unlock' then occurred_at end) as unlocked_at,
    max(case when event_type = 'lock' then occurred_at end) as locked_at,
    sum(case when event_type = 'telemetry' then 1 else 0 end) as n_telemetry_pings,
    max(speed_kmh) as max_speed_kmh,
    min(battery_pct) as min_battery_pct,
    min(fuel_pct) as min_fuel_pct,
    max(case when event_type = 'rate_trip' then rating end) as trip_rating
from trip_events
group by reservation_id
