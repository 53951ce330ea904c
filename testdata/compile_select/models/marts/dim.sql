select s.id, l.label from {{ ref('stg_a') }} s join {{ ref('lookup') }} l using (id)
