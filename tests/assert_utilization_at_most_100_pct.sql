-- Cars cannot be on trips for more than all of their time.
select
    zone_day_key,
    n_cars,
    trip_minutes,
    utilization_pct
from {{ ref('agg_daily_zone_utilization') }}
where utilization_pct > 100
