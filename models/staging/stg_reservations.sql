-- The booking service is extracted by change-data-capture: a reservation can
-- appear several times. Keep the latest version of each (greatest
-- updated_at) and derive the durations the marts need.
with source as (

    select * from {{ source('raw', 'reservations') }}

),

versioned as (

    select
        *,
        row_number() over (
            partition by reservation_id
            order by updated_at desc
        ) as version_rank
    from source

),

latest as (

    select
        cast(reservation_id as bigint) as reservation_id,
        cast(member_id as bigint) as member_id,
        cast(car_id as bigint) as car_id,
        cast(zone_id as bigint) as zone_id,
        cast(created_at as timestamp) as created_at,
        cast(start_at as timestamp) as start_at,
        cast(end_at as timestamp) as end_at,
        cast(returned_at as timestamp) as returned_at,
        lower(status) as status,
        cast(cancelled_at as timestamp) as cancelled_at,
        cast(distance_km as numeric(10, 1)) as distance_km,
        cast(updated_at as timestamp) as updated_at
    from versioned
    where version_rank = 1

)

select
    *,
    {{ dbt.datediff('created_at', 'start_at', 'minute') }} as lead_time_minutes,
    {{ dbt.datediff('start_at', 'end_at', 'minute') }} as booked_minutes,
    case
        when status = 'completed'
            then {{ dbt.datediff('start_at', 'returned_at', 'minute') }}
    end as driven_minutes,
    case
        when returned_at > end_at
            then {{ dbt.datediff('end_at', 'returned_at', 'minute') }}
        else 0
    end as overrun_minutes
from latest
