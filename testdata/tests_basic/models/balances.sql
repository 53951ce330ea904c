select account_id, coalesce(balance, 0) * {{ var('multiplier', 1) }} as balance
from {{ ref('accounts') }}
