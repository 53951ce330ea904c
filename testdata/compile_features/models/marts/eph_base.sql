{{ config(materialized='ephemeral') }}
select order_id, amount_cents from {{ ref('stg_orders') }}
