{{ config(tags=['product']) }}

{% set funnel = ['open_app', 'search', 'unlock', 'lock', 'rate_trip'] %}

-- The app funnel per day and app version: how many members went from
-- opening the app to searching, unlocking a car and rating the trip.
-- Telemetry pings are not a funnel step and are left out.
with events as (

    select * from {{ ref('stg_app_events') }}
    where event_type in ('{{ funnel | join("', '") }}')

)

select
    cast(event_date as {{ dbt.type_string() }}) || '/' || coalesce(app_version, 'unknown') as funnel_key,
    event_date,
    coalesce(app_version, 'unknown') as app_version,
    count(distinct member_id) as n_members,
    {{ status_counts('event_type', funnel, suffix='_events') }},
    round(
        100.0 * sum(case when event_type = 'unlock' then 1 else 0 end)
        / nullif(sum(case when event_type = 'search' then 1 else 0 end), 0),
        2
    ) as search_to_unlock_pct,
    avg(case when event_type = 'rate_trip' then rating end) as avg_trip_rating
from events
group by event_date, coalesce(app_version, 'unknown')
