{#-
    The first and the last UTC date on which the data has any session
    (automated or organic), convertible order or converted cost line: the
    bounds of both spines (int_reporting_periods, metricflow_time_spine).
    One row; both dates null when there is no activity at all.
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

final as (

    select
        min(activity_date) as first_activity_date,
        max(activity_date) as last_activity_date

    from activity_dates

)

select * from final
