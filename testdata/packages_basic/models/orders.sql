{{ config(materialized='table') }}
select
    amount,
    {{ util_pkg.cents('amount * 100') }} as amount_eur,
    {{ adapter.dispatch('concat_all', 'util_pkg')(['a', 'b']) }} as ab,
    {{ util_pkg.concat_all(['c', 'd']) }} as cd,
    {{ shop.shout('x') }} as shouted,
    greeting
from {{ ref('util_base') }}
