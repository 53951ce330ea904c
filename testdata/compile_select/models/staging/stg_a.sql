select id from {{ source('raw', 'a') }}
