with n as (
  select `rental_id`, `amount`, `rented_at`, to_json_string(struct(`rental_id`)) as __mart_key from `proj.pr_42.fct_rentals`
), o as (
  select `rental_id`, `amount`, `rented_at`, to_json_string(struct(`rental_id`)) as __mart_key from `prod-proj.mart.fct_rentals`
), d as (
  select
    case when o.__mart_key is null then 'added'
      when n.__mart_key is null then 'removed'
      when (n.`amount` is distinct from o.`amount`) or (n.`rented_at` is distinct from o.`rented_at`) then 'changed'
      else 'same' end as kind,
    coalesce(n.__mart_key, o.__mart_key) as example,
    array_to_string([case when n.`amount` is distinct from o.`amount` then 'amount' end, case when n.`rented_at` is distinct from o.`rented_at` then 'rented_at' end], ', ') as changed_columns
  from n full outer join o on n.__mart_key = o.__mart_key
), c as (
  select kind, count(*) as n from d group by kind
), e as (
  select kind, example, changed_columns, row_number() over (partition by kind order by example) as rn
  from d where kind <> 'same'
)
select c.kind, c.n, e.example, e.changed_columns
from c left join e on e.kind = c.kind and e.rn <= 5
order by c.kind, e.example
