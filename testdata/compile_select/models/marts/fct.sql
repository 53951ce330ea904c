{{ config(tags=['nightly', 'finance']) }}
select id from {{ ref('int_ab') }}
