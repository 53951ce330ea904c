{#
  Extract a scalar from a JSON string column as a string (null when the key
  is missing). path is a key path without the leading "$.", e.g. 'car_id'
  or 'device.os'. Cast the result with dbt.safe_cast where a number is meant.
#}
{% macro json_value(column, path) -%}
  {%- if target.type == 'bigquery' -%}
    JSON_VALUE({{ column }}, '$.{{ path }}')
  {%- elif target.type == 'snowflake' -%}
    json_extract_path_text({{ column }}, '{{ path }}')
  {%- else -%}
    json_extract_string({{ column }}, '$.{{ path }}')
  {%- endif -%}
{%- endmacro %}
