-- One row per reservation in its latest state, with its payments and trip
-- telemetry. Incremental: a run only merges the reservations that changed
-- since the last one (the booking service bumps updated_at on every change,
-- payments included).
with __mart__cte__int_reservation_payments as (
-- Payments rolled up to one row per reservation. Only payments in the
-- revenue currency count; amounts stay in cents until the marts.
with payments as (

    select * from `soda-prod.mart_staging.stg_payments`
    where currency = 'EUR'

)

select
    reservation_id,
    count(*) as n_payment_attempts,
    sum(case when status = 'failed' then 1 else 0 end) as n_failed_payments,
    sum(case when kind = 'charge' and status = 'succeeded' then amount_cents else 0 end) as charged_cents,
    sum(case when kind = 'refund' and status = 'succeeded' then amount_cents else 0 end) as refunded_cents,
    sum(case when status = 'succeeded' then signed_amount_cents else 0 end) as net_revenue_cents,
    max(case when kind = 'charge' and status = 'succeeded' then method end) as charge_method,
    min(case when status = 'succeeded' then paid_at end) as first_paid_at,
    max(case when status = 'succeeded' then paid_at end) as last_paid_at
from payments
group by reservation_id
),
__mart__cte__int_trip_telemetry as (
-- What the app reported during each trip: unlock and lock times, telemetry
-- pings and the member's rating, one row per reservation that has events.
with trip_events as (

    select * from `soda-prod.mart_staging.stg_app_events`
    where reservation_id is not null

)

select
    reservation_id,
    min(case when event_type = 'unlock' then occurred_at end) as unlocked_at,
    max(case when event_type = 'lock' then occurred_at end) as locked_at,
    sum(case when event_type = 'telemetry' then 1 else 0 end) as n_telemetry_pings,
    max(speed_kmh) as max_speed_kmh,
    min(battery_pct) as min_battery_pct,
    min(fuel_pct) as min_fuel_pct,
    max(case when event_type = 'rate_trip' then rating end) as trip_rating
from trip_events
group by reservation_id
),
reservations as (

    select * from `soda-prod.mart_staging.stg_reservations`
    

),

payments as (

    select * from __mart__cte__int_reservation_payments

),

telemetry as (

    select * from __mart__cte__int_trip_telemetry

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
    cast(timestamp_trunc(cast(r.start_at as timestamp), day) as date) as reservation_date,
    r.lead_time_minutes,
    r.booked_minutes,
    r.driven_minutes,
    r.overrun_minutes,
    case
        when r.status = 'completed'
            and r.overrun_minutes > 15
            then true
        else false
    end as is_late_return,
    r.distance_km,
    coalesce(p.n_payment_attempts, 0) as n_payment_attempts,
    coalesce(p.n_failed_payments, 0) as n_failed_payments,
    cast(coalesce(p.charged_cents, 0) / 100.0 as numeric(18, 2)) as charged_amount,
    cast(coalesce(p.refunded_cents, 0) / 100.0 as numeric(18, 2)) as refunded_amount,
    cast(coalesce(p.net_revenue_cents, 0) / 100.0 as numeric(18, 2)) as net_revenue,
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
/* mart --defer:
   `soda-ci.pr_42_staging.stg_app_events` is read from `soda-prod.mart_staging.stg_app_events`
   `soda-ci.pr_42_staging.stg_payments` is read from `soda-prod.mart_staging.stg_payments`
   `soda-ci.pr_42_staging.stg_reservations` is read from `soda-prod.mart_staging.stg_reservations`
*/
