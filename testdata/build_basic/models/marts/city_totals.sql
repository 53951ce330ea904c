select city, sum(total) as total
from {{ ref('people_summary') }}
group by city
