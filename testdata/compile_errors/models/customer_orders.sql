select c.id, {{ money('o.amount') }} as amount
from {{ ref('customers') }} c
join {{ ref('orders') }} o on o.customer_id = c.id
