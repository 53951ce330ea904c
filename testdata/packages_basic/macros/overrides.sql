{# the root project overrides the package's default for DuckDB #}
{% macro duckdb__concat_all(parts) %}'root:{{ parts | join('+') }}'{% endmacro %}

{% macro shout(s) %}upper('{{ s }}'){% endmacro %}
