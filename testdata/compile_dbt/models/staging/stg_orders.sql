with source as (
    select * from {{ source('jaffle_raw', 'orders') }}
),

renamed as (
    select
        id as order_id,
        user_id as customer_id,
        order_date,
        status
    from source
    where order_date >= '{{ var("start_date") }}'
)

select * from renamed
