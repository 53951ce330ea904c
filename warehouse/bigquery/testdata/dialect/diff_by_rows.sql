with n as (
  select to_json_string(struct(`rental_id`, `amount`)) as __mart_row, count(*) as __mart_count from `proj.pr_42.fct_rentals` group by 1
), o as (
  select to_json_string(struct(`rental_id`, `amount`)) as __mart_row, count(*) as __mart_count from `prod-proj.mart.fct_rentals` group by 1
), d as (
  select coalesce(n.__mart_row, o.__mart_row) as example,
    coalesce(n.__mart_count, 0) as nc, coalesce(o.__mart_count, 0) as oc
  from n full outer join o on n.__mart_row = o.__mart_row
), c as (
  select 'added' as kind, coalesce(sum(greatest(nc - oc, 0)), 0) as n from d
  union all select 'removed' as kind, coalesce(sum(greatest(oc - nc, 0)), 0) as n from d
  union all select 'same' as kind, coalesce(sum(least(nc, oc)), 0) as n from d
), e as (
  select case when nc > oc then 'added' else 'removed' end as kind, example,
    row_number() over (partition by nc > oc order by example) as rn
  from d where nc <> oc
)
select c.kind, c.n, e.example, cast(null as string) as changed_columns
from c left join e on e.kind = c.kind and e.rn <= 5
order by c.kind, e.example
