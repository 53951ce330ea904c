{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ordered_at',
          batch_size='month', begin='2026-03-01', lookback=1) }}
-- Live orders by event time, rebuilt one month at a time: ref('raw_orders')
-- reads only the batch's month (the seed declares event_time).
select order_id, customer_id, amount, ordered_at
from {{ ref('raw_orders') }}
where not deleted
