with source as (

    select * from {{ source('raw', 'cars') }}

)

select
    cast(car_id as bigint) as car_id,
    upper(plate) as plate,
    model,
    lower(fuel) as fuel,
    cast(seats as integer) as seats,
    cast(home_zone_id as bigint) as home_zone_id,
    cast(added_at as timestamp) as added_at,
    cast(retired_at as timestamp) as retired_at,
    retired_at is not null as is_retired
from source
