-- A car can only be in one reservation at a time: two bookings of the same
-- car that were not cancelled must not overlap (a late return extends the
-- booking to returned_at).
with bookings as (

    select
        reservation_id,
        car_id,
        start_at,
        greatest(end_at, coalesce(returned_at, end_at)) as busy_until
    from {{ ref('fct_reservations') }}
    where status <> 'cancelled'

)

select
    a.car_id,
    a.reservation_id,
    b.reservation_id as overlapping_reservation_id
from bookings as a
inner join bookings as b
    on a.car_id = b.car_id
    and a.reservation_id < b.reservation_id
    and a.start_at < b.busy_until
    and b.start_at < a.busy_until
