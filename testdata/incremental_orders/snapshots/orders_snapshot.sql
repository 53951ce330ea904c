{% snapshot orders_snapshot %}
{{ config(target_schema='snapshots', unique_key='order_id', strategy='timestamp',
          updated_at='updated_at', hard_deletes='invalidate') }}
select order_id, customer_id, amount, status, updated_at
from {{ ref('raw_orders') }}
where not deleted
{% endsnapshot %}
