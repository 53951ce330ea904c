select {{ var('n') }} as amount, '{{ var('greeting') }}' as greeting, {{ cents('250') }} as euros
