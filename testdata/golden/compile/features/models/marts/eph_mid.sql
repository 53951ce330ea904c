select order_id, amount_cents * 2 as doubled from __mart__cte__eph_base
