-- Every completed trip has been charged (possibly after a failed attempt).
select
    reservation_id,
    status,
    charged_amount
from {{ ref('fct_reservations') }}
where status = 'completed'
    and charged_amount <= 0
