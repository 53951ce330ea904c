-- a model with its own WITH clause, on top of nested ephemerals
with totals as (
    select order_id, doubled from {{ ref('eph_mid') }}
),
bases as (
    select order_id from {{ ref('eph_base') }}
)
select t.order_id, t.doubled
from totals t join bases b using (order_id)
