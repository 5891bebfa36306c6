{#-
    The reporting spine has no holes and covers the data: every period
    after the first of its grain has its previous period in the spine, and
    the period of every session, order and converted cost line is in the
    spine (this also fails if the data ever spans more periods than the
    spine's numbers CTE generates). Fails with one row per problem.
-#}
with

periods as (

    select * from {{ ref('int_reporting_periods') }}

),

activity_dates as (

    select started_date as activity_date from {{ ref('int_dm_sessions') }}
    union all
    select created_date as activity_date from {{ ref('fct_orders') }}
    union all
    select cost_month as activity_date from {{ ref('int_automation_costs_fx_converted') }}

),

grains as (

    select distinct period_grain from periods

),

activity_periods as (

    select distinct
        grains.period_grain,
        {{ reporting_period_start('grains.period_grain', 'activity_dates.activity_date') }} as period_start

    from activity_dates
    cross join grains

),

holes as (

    select
        current_period.period_grain,
        current_period.period_start,
        'previous period missing' as problem

    from periods as current_period
    left join periods as previous_period
        on
            current_period.period_grain = previous_period.period_grain
            and current_period.previous_period_start = previous_period.period_start
    where current_period.period_number > 1 and previous_period.period_start is null

),

uncovered as (

    select
        activity_periods.period_grain,
        activity_periods.period_start,
        'period with data missing from the spine' as problem

    from activity_periods
    left join periods
        on
            activity_periods.period_grain = periods.period_grain
            and activity_periods.period_start = periods.period_start
    where periods.period_start is null

)

select * from holes
union all
select * from uncovered
