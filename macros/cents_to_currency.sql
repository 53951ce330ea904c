{#
  Integer cents to a decimal amount in currency units, rounded to scale
  decimal places: cents_to_currency('amount_cents') -> 12.34
#}
{% macro cents_to_currency(column, scale=2) -%}
  cast({{ column }} / 100.0 as numeric(18, {{ scale }}))
{%- endmacro %}
