{%- set total = namespace(n=0) -%}
{%- set seen = [] -%}
{%- for x in [1, 2, 3] -%}
  {%- set running = x * 10 -%}
  {%- set total.n = total.n + x -%}
  {%- do seen.append(running) -%}
{%- endfor -%}
select
    {{ 0.5 }} as half,
    {{ 10 / 4 }} as quotient,
    {{ 7 // 2 }} as floor_quotient,
    {{ var("threshold") * 2 }} as doubled,
    '{{ "id_" ~ 42 ~ "_" ~ 1.5 }}' as concatenated,
    '{{ "<b>&amp;</b> & \"quoted\"" }}' as not_escaped,
    '{{ none }}' as none_value,
    {{ total.n }} as loop_total,
    '{{ seen | join("/") }}' as loop_values,
    '{{ running | default("running is loop-local") }}' as scoping,
    '{{ "%s-%03d" | format("batch", 7) }}' as formatted,
    '{{ 'yes' if var("region") == 'eu-west' else 'no' }}' as region_check,
    '{{ ["b", "a", "c"] | sort | join(",") }}' as sorted_list
