{#-
    The reporting spine: one row per period_grain (week = ISO week from
    Monday, month = calendar month, UTC dates) and period_start, from the
    first to the last period in which the data has any session (automated
    or organic), order (convertible) or cost (converted), with no holes.
    Built portably from a numbers CTE of cross-joined digits (0 to 9999
    periods per grain, i.e. 190 years of weeks), not from generate_series.
-#}
{%- set grains = reporting_period_grains() -%}

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

grains as (

    {% for grain in grains %}
        select
            '{{ grain }}' as period_grain,
            {{ loop.index }} as grain_order
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

grain_bounds as (

    select
        grains.period_grain,
        {{ reporting_period_start('grains.period_grain', 'date_bounds.first_activity_date') }} as first_period_start,
        {{ reporting_period_start('grains.period_grain', 'date_bounds.last_activity_date') }} as last_period_start

    from grains
    cross join date_bounds
    where date_bounds.first_activity_date is not null

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

period_offsets as (

    select thousands.digit * 1000 + hundreds.digit * 100 + tens.digit * 10 + units.digit as period_offset

    from digits as units
    cross join digits as tens
    cross join digits as hundreds
    cross join digits as thousands

),

periods_enumerated as (

    select
        grain_bounds.period_grain,
        grain_bounds.last_period_start,
        period_offsets.period_offset,
        {{ reporting_period_shift(
            'grain_bounds.period_grain', 'grain_bounds.first_period_start', 'period_offsets.period_offset'
        ) }} as period_start

    from grain_bounds
    cross join period_offsets

),

final as (

    select
        period_grain,
        period_start,
        {{ reporting_period_shift('period_grain', 'period_start', '-1') }} as previous_period_start,
        {{ reporting_period_shift('period_grain', 'period_start', '1') }} as next_period_start,
        period_offset + 1 as period_number

    from periods_enumerated
    where period_start <= last_period_start

)

select * from final
