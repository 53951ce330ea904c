{#- set with list and dict literals; for with loop variables; if/elif/else;
    whitespace control with {%- and -%} -#}
{%- set columns = ['order_id', 'customer_id', 'amount_cents'] -%}
{%- set renames = {'order_day': 'day', 'customer_id': 'buyer_id'} -%}
{%- set methods = payment_methods() -%}
select
{%- for c in columns %}
    /* {{ loop.index }} of {{ loop.length }}{% if loop.first %}, first{% endif %}{% if loop.last %}, last{% endif %} */ {{ c }},
{%- endfor %}
{%- for old, new in renames.items() %}
    {{ old }} as {{ new }},
{%- endfor %}
{%- for m in methods %}
    {% if m == 'card' -%}
    1
    {%- elif m == 'voucher' -%}
    3
    {%- else -%}
    2
    {%- endif %} as method_{{ m }}{{ "," if not loop.last }}
{%- endfor %}
from {{ ref('stg_orders') }}
{% for x in [] %}never{% else %}-- an empty loop runs its else block{% endfor %}
