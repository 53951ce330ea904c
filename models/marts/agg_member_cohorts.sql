{{ config(tags=['finance', 'growth']) }}

-- Sign-up month cohorts by month of activity: how many of the cohort drove,
-- what they paid, and the cohort's cumulative lifetime value per member.
with members as (

    select member_id, signup_month from {{ ref('dim_members') }}

),

cohorts as (

    select
        signup_month,
        count(*) as cohort_size
    from members
    group by signup_month

),

activity as (

    select
        m.signup_month,
        cast({{ dbt.date_trunc('month', 'r.start_at') }} as date) as activity_month,
        count(distinct case when r.status = 'completed' then r.member_id end) as active_members,
        sum(case when r.status = 'completed' then 1 else 0 end) as completed_reservations,
        sum(r.net_revenue) as net_revenue
    from {{ ref('fct_reservations') }} as r
    inner join members as m
        on m.member_id = r.member_id
    where r.start_at < {{ as_of_timestamp() }}
    group by m.signup_month, cast({{ dbt.date_trunc('month', 'r.start_at') }} as date)

),

cumulative as (

    select
        a.*,
        c.cohort_size,
        sum(a.net_revenue) over (
            partition by a.signup_month
            order by a.activity_month
            rows between unbounded preceding and current row
        ) as cumulative_net_revenue
    from activity as a
    inner join cohorts as c
        on c.signup_month = a.signup_month

)

select
    cast(signup_month as {{ dbt.type_string() }}) || '/' || cast(activity_month as {{ dbt.type_string() }}) as cohort_month_key,
    signup_month,
    activity_month,
    {{ dbt.datediff('signup_month', 'activity_month', 'month') }} as months_since_signup,
    cohort_size,
    active_members,
    round(100.0 * active_members / cohort_size, 2) as active_pct,
    completed_reservations,
    net_revenue,
    cumulative_net_revenue,
    cast(cumulative_net_revenue / cohort_size as numeric(18, 2)) as lifetime_value_per_member
from cumulative
