{{ config(materialized='ephemeral') }}
select order_id, amount_cents * 2 as doubled from {{ ref('eph_base') }}
