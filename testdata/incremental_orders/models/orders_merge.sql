{{ config(materialized='incremental', unique_key='order_id', on_schema_change='append_new_columns') }}
-- Orders as the raw layer lands them: updates and soft deletes arrive as new
-- versions of a row with a higher loaded_at.
select order_id, customer_id, amount, status, ordered_at, updated_at, loaded_at, deleted
from {{ ref('raw_orders') }}
{% if is_incremental() %}
where loaded_at > (select coalesce(max(loaded_at), -1) from {{ this }})
{% endif %}
