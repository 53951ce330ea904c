-- open accounts must not be overdrawn
select * from {{ ref('open_accounts') }} where balance < 0
