-- ref() in its one- and two-argument forms, and source()
select o.order_id, c.name
from "analytics_staging"."stg_orders" as o
join "analytics_staging"."stg_customers" as c using (customer_id)
join "raw_shop"."customers" as raw_c using (customer_id)
