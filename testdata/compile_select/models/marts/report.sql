{{ config(materialized='view') }}
select f.id from {{ ref('fct') }} f join {{ ref('dim') }} d using (id)
