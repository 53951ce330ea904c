{% macro money(column) -%}
    round({{ column }} / 100.0, 2)
{%- endmacro %}
