select
    id as person_id,
    "full name" as full_name,
    split_part("city, country", ', ', 1) as city,
    zip,
    joined,
    score,
    coalesce(active, false) as active
from {{ source('raw', 'people') }}
