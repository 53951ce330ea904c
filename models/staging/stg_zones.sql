with source as (

    select * from {{ source('raw', 'zones') }}

)

select
    cast(zone_id as bigint) as zone_id,
    city,
    zone_name,
    city || ' / ' || zone_name as zone_label,
    cast(area_km2 as numeric(8, 1)) as area_km2,
    cast(lat as numeric(9, 6)) as lat,
    cast(lon as numeric(9, 6)) as lon
from source
