with people as (
    select * from {{ ref('stg_people') }}
)
select p.person_id, p.full_name, p.city, coalesce(o.n_orders, 0) as n_orders, coalesce(o.total, 0) as total
from people p
left join {{ ref('person_orders') }} o using (person_id)
