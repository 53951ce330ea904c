select id from {{ source('raw', 'b') }}
