select 1 from {{ ref('report') }} having count(*) = 0
