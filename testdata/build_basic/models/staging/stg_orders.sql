select order_id, person_id, amount_cents / 100.0 as amount
from {{ source('raw', 'orders') }}
