select * from {{ ref('accounts_seed') }}
