{{ config(materialized='incremental', unique_key='order_id') }}
-- target {{ target.name }} ({{ target.type }}), default schema {{ target.schema }}
-- this is {{ this }}: schema {{ this.schema }}, identifier {{ this.identifier }}
select order_id, amount_cents, '{{ run_started_at }}' as compiled_at
from {{ ref('stg_orders') }}
{% if is_incremental() %}
where order_id > (select max(order_id) from {{ this }})
{% endif %}
