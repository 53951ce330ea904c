{{
    config(
        materialized='incremental',
        unique_key='reservation_id',
        incremental_strategy='merge',
        tags=['core', 'finance']
    )
}}

-- One row per reservation in its latest state, with its payments and trip
-- telemetry. Incremental: a run only merges the reservations that changed
-- since the last one (the booking service bumps updated_at on every change,
-- payments included).
with reservations as (

    select * from {{ ref('stg_reservations') }}
    {% if is_incremental() %}
    where updated_at > (select max(updated_at) from {{ this }})
    {% endif %}

),

payments as (

    select * from {{ ref('int_reservation_payments') }}

),

telemetry as (

    select * from {{ ref('int_trip_telemetry') }}

)

select
    r.reservation_id,
    r.member_id,
    r.car_id,
    r.zone_id,
    r.status,
    r.created_at,
    r.start_at,
    r.end_at,
    r.returned_at,
    r.cancelled_at,
    cast({{ dbt.date_trunc('day', 'r.start_at') }} as date) as reservation_date,
    r.lead_time_minutes,
    r.booked_minutes,
    r.driven_minutes,
    r.overrun_minutes,
    case
        when r.status = 'completed'
            and r.overrun_minutes > {{ var('late_return_grace_minutes', 15) }}
            then true
        else false
    end as is_late_return,
    r.distance_km,
    coalesce(p.n_payment_attempts, 0) as n_payment_attempts,
    coalesce(p.n_failed_payments, 0) as n_failed_payments,
    {{ cents_to_currency('coalesce(p.charged_cents, 0)') }} as charged_amount,
    {{ cents_to_currency('coalesce(p.refunded_cents, 0)') }} as refunded_amount,
    {{ cents_to_currency('coalesce(p.net_revenue_cents, 0)') }} as net_revenue,
    p.charge_method,
    t.unlocked_at,
    t.n_telemetry_pings,
    t.max_speed_kmh,
    t.min_battery_pct,
    t.trip_rating,
    r.updated_at
from reservations as r
left join payments as p
    on p.reservation_id = r.reservation_id
left join telemetry as t
    on t.reservation_id = r.reservation_id
