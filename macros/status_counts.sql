{#
  Pivot a categorical column into one count column per value, for use in an
  aggregating select:

    {% set statuses = ['completed', 'cancelled'] %}
    select zone_id, {{ status_counts('status', statuses) }} from ... group by zone_id

  gives n_completed and n_cancelled. prefix and suffix shape the column names.
#}
{% macro status_counts(column, categories, prefix='n_', suffix='') -%}
  {%- for value in categories %}
    sum(case when {{ column }} = '{{ value }}' then 1 else 0 end) as {{ prefix }}{{ value }}{{ suffix }}
    {%- if not loop.last %},{% endif %}
  {%- endfor %}
{%- endmacro %}
