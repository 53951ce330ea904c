{% macro concat_all(parts) -%}
  {{ return(adapter.dispatch('concat_all', 'util_pkg')(parts)) }}
{%- endmacro %}

{% macro default__concat_all(parts) %}'{{ parts | join('') }}'{% endmacro %}
