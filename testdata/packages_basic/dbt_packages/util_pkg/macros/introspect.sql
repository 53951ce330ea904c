{# the distinct values of a column, read from the warehouse while rendering #}
{% macro column_values(relation, column) %}
  {%- set q -%}select distinct {{ column }} from {{ relation }} order by 1{%- endset -%}
  {%- set results = run_query(q) -%}
  {%- if execute -%}
    {{ return(results.columns[0].values()) }}
  {%- else -%}
    {{ return([]) }}
  {%- endif -%}
{% endmacro %}

{# every column of a relation but the excepted ones #}
{% macro star(from, except=[]) -%}
  {%- set cols = adapter.get_columns_in_relation(from) -%}
  {%- if cols | length == 0 -%}*{%- endif -%}
  {%- for c in cols if c.name not in except -%}
    {{ c.quoted }}{{ ", " if not loop.last }}
  {%- endfor -%}
{%- endmacro %}
