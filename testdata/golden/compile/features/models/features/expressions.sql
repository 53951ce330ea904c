select
    0.5 as half,
    2.5 as quotient,
    3 as floor_quotient,
    1.0 as doubled,
    'id_42_1.5' as concatenated,
    '<b>&amp;</b> & "quoted"' as not_escaped,
    'None' as none_value,
    6 as loop_total,
    '10/20/30' as loop_values,
    'running is loop-local' as scoping,
    'batch-007' as formatted,
    'yes' as region_check,
    'a,b,c' as sorted_list
