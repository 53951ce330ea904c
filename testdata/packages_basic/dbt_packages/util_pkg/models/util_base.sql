select {{ var('n') }} as amount, '{{ var('greeting') }}' as greeting
