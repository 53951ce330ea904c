{% test row_count_between(model, low, high) %}
select n from (select count(*) as n from {{ model }}) c
where n < {{ low }} or n > {{ high }}
{% endtest %}
