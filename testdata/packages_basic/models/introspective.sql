{{ config(materialized='table') }}
{% call statement('base', fetch_result=True) %}
select count(*) as n from {{ ref('util_base') }}
{% endcall %}
{% set base = load_result('base') %}
{% set greetings = util_pkg.column_values(ref('util_base'), 'greeting') %}
select
    {{ util_pkg.star(ref('orders'), except=['ab', 'cd']) }},
    {{ base['data'][0][0] if execute else 0 }} as n_base,
    '{{ greetings | join(",") }}' as greetings
from {{ ref('orders') }}
