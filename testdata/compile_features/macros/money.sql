{# Integer cents to a currency amount. #}
{% macro cents_to_dollars(column, scale=2) -%}
    round({{ column }} / 100.0, {{ scale }})
{%- endmacro %}

{# Calls another macro, with keyword arguments. #}
{% macro order_total(column, fee=0) -%}
    ({{ cents_to_dollars(column, scale=4) }} + {{ fee }})
{%- endmacro %}

{# Returns a value instead of text. #}
{% macro payment_methods() -%}
    {{ return(['card', 'bank_transfer', 'voucher']) }}
{%- endmacro %}

{# Sets the caller's config, as dbt macros may. #}
{% macro as_table() -%}
    {{ config(materialized='table') }}
{%- endmacro %}
