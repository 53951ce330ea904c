select customer_id, name, region
from {{ source("shop", "customers") }}
where region = '{{ var("region") }}'
