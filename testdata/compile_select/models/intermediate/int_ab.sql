select a.id from {{ ref('stg_a') }} a join {{ ref('stg_b') }} b using (id)
