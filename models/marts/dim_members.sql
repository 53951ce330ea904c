{{ config(tags=['core', 'pii']) }}

-- One row per member, deleted accounts included (their name is blanked; the
-- email is only ever exposed as a hash).
with members as (

    select * from {{ ref('stg_members') }}

),

zones as (

    select * from {{ ref('stg_zones') }}

),

activity as (

    select * from {{ ref('int_member_activity') }}

)

select
    m.member_id,
    m.email_hash,
    case when m.is_deleted then null else m.full_name end as full_name,
    m.signup_at,
    cast({{ dbt.date_trunc('month', 'm.signup_at') }} as date) as signup_month,
    m.signup_channel,
    m.tier,
    m.tier_updated_at,
    case when m.tier_updated_at > m.signup_at then true else false end as has_changed_tier,
    m.birth_year,
    case
        when m.birth_year is null then 'unknown'
        when extract(year from {{ as_of_timestamp() }}) - m.birth_year < 25 then '18-24'
        when extract(year from {{ as_of_timestamp() }}) - m.birth_year < 35 then '25-34'
        when extract(year from {{ as_of_timestamp() }}) - m.birth_year < 50 then '35-49'
        else '50+'
    end as age_band,
    m.home_zone_id,
    z.city as home_city,
    m.is_deleted,
    a.n_reservations,
    a.n_completed,
    a.n_cancelled,
    a.n_no_show,
    a.n_active,
    a.first_reservation_at,
    a.last_trip_at,
    a.driven_minutes,
    a.distance_km,
    {{ cents_to_currency('a.net_revenue_cents', scale=2) }} as lifetime_value,
    a.n_app_events,
    a.last_seen_at,
    case
        when cast(a.last_trip_at as date) >= cast({{ dbt.dateadd('day', -30, as_of_timestamp()) }} as date) then true
        else false
    end as is_active_30d,
    {{ dbt.current_timestamp() }} as _loaded_at
from members as m
left join zones as z
    on z.zone_id = m.home_zone_id
left join activity as a
    on a.member_id = m.member_id
