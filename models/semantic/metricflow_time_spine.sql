{#-
    MetricFlow's time spine: one row per UTC day from the first to the last
    day on which the data has any session (automated or organic), order
    (convertible) or cost (converted), the same bounds as the reporting
    spine (int_reporting_periods). The months and ISO weeks of these days
    are exactly the scorecard's periods, so a metric that joins the time
    spine (join_to_timespine) has a row for every scorecard period and no
    other. Built portably from a numbers CTE of cross-joined digits (0 to
    99999 days, 273 years) and dbt.dateadd, not from generate_series.
-#}
with

sessions as (

    select * from {{ ref('int_dm_sessions') }}

),

orders as (

    select * from {{ ref('int_orders_attributed') }}

),

costs as (

    select * from {{ ref('int_automation_costs_fx_converted') }}

),

activity_dates as (

    select started_date as activity_date from sessions
    union all
    select created_date as activity_date from orders
    union all
    select cost_month as activity_date from costs

),

date_bounds as (

    select
        min(activity_date) as first_activity_date,
        max(activity_date) as last_activity_date

    from activity_dates

),

digits as (

    select 0 as digit
    union all
    select 1 as digit
    union all
    select 2 as digit
    union all
    select 3 as digit
    union all
    select 4 as digit
    union all
    select 5 as digit
    union all
    select 6 as digit
    union all
    select 7 as digit
    union all
    select 8 as digit
    union all
    select 9 as digit

),

day_offsets as (

    select
        ten_thousands.digit * 10000
        + thousands.digit * 1000
        + hundreds.digit * 100
        + tens.digit * 10
        + units.digit as day_offset

    from digits as units
    cross join digits as tens
    cross join digits as hundreds
    cross join digits as thousands
    cross join digits as ten_thousands

),

days as (

    select
        date_bounds.last_activity_date,
        cast({{ dbt.dateadd('day', 'day_offsets.day_offset', 'date_bounds.first_activity_date') }} as date)
            as date_day

    from date_bounds
    cross join day_offsets
    where date_bounds.first_activity_date is not null

),

final as (

    select date_day

    from days
    where date_day <= last_activity_date

)

select * from final
