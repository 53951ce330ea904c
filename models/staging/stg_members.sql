-- One row per member, typed and cleaned. Emails are normalised here and
-- hashed for the marts, which never expose the raw address.
with source as (

    select * from {{ source('raw', 'members') }}

),

renamed as (

    select
        cast(member_id as bigint) as member_id,
        lower(trim(email)) as email,
        {{ dbt.hash('lower(trim(email))') }} as email_hash,
        full_name,
        cast(signup_at as timestamp) as signup_at,
        cast(home_zone_id as bigint) as home_zone_id,
        lower(tier) as tier,
        cast(tier_updated_at as timestamp) as tier_updated_at,
        lower(channel) as signup_channel,
        {{ dbt.safe_cast('birth_year', 'integer') }} as birth_year,
        cast(is_deleted as boolean) as is_deleted
    from source

)

select * from renamed
