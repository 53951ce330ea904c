select
    '{{ var("region") }}' as region,
    {{ var("threshold") }} as threshold,
    '{{ var("not_defined", "var default") }}' as with_default,
    '{{ var("from_cli", "no cli var") }}' as cli_var,
    '{{ env_var("MART_E2E_COLOR") }}' as env_value,
    '{{ env_var("MART_E2E_UNSET", "env default") }}' as env_default
