-- ref() in its one- and two-argument forms, and source()
select o.order_id, c.name
from {{ ref('stg_orders') }} as o
join {{ ref('features', 'stg_customers') }} as c using (customer_id)
join {{ source('shop', 'customers') }} as raw_c using (customer_id)
