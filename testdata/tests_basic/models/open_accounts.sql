select * from {{ ref('accounts') }} where status = 'open'
