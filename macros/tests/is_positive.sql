{#
  Generic test: fails on rows where the column is negative (nulls pass; pair
  it with not_null where a value is required).
#}
{% test is_positive(model, column_name) %}
select *
from {{ model }}
where {{ column_name }} < 0
{% endtest %}
