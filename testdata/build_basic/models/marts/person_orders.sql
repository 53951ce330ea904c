{{ config(materialized='ephemeral') }}
select person_id, count(*) as n_orders, sum(amount) as total
from {{ ref('stg_orders') }}
group by person_id
