select customer_id, name, region
from "raw_shop"."customers"
where region = 'eu-west'
