select
    'eu-west' as region,
    0.5 as threshold,
    'var default' as with_default,
    'hello' as cli_var,
    'blue' as env_value,
    'env default' as env_default
