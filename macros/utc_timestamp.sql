{#
  A timestamp column as UTC wall-clock time (a timestamp without zone),
  whether it holds one already (the seeds) or an instant, a timestamp with
  time zone (a MongoDB date landed by mart extract). DuckDB casts an instant
  to a timestamp in the session's time zone, which is the machine's: going
  through the epoch keeps the marts the same on every machine.
#}
{% macro utc_timestamp(column) -%}
  {%- if target.type == 'duckdb' -%}
    make_timestamp(epoch_us({{ column }}))
  {%- else -%}
    cast({{ column }} as timestamp)
  {%- endif -%}
{%- endmacro %}
