{% set statuses = ['placed', 'shipped', 'completed'] %}

select
    order_id,
    customer_id,
    order_date,
    {% for status in statuses -%}
    sum(case when status = '{{ status }}' then 1 else 0 end) as {{ status }}_count{{ ',' if not loop.last }}
    {% endfor %}
from {{ ref('stg_orders') }}
group by 1, 2, 3
