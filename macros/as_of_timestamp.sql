{#
  The instant the raw extract was taken (var as_of_date), as a timestamp
  literal. Recency metrics compare against it rather than the wall clock, so
  the marts are reproducible.
#}
{% macro as_of_timestamp() -%}
  cast('{{ var("as_of_date", "2026-04-01") }} 00:00:00' as timestamp)
{%- endmacro %}
