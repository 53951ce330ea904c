with n as (
  select `store_id`, `day`, `revenue`, to_json_string(struct(`store_id`, `day`)) as __mart_key from `proj.pr_42.fct_rentals`
), o as (
  select `store_id`, `day`, `revenue`, to_json_string(struct(`store_id`, `day`)) as __mart_key from `prod-proj.mart.fct_rentals`
), d as (
  select
    case when o.__mart_key is null then 'added'
      when n.__mart_key is null then 'removed'
      when (n.`revenue` is distinct from o.`revenue`) then 'changed'
      else 'same' end as kind,
    coalesce(n.__mart_key, o.__mart_key) as example,
    array_to_string([case when n.`revenue` is distinct from o.`revenue` then 'revenue' end], ', ') as changed_columns
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
