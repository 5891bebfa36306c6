{#-
    The semantic layer's time spine has exactly the scorecard's periods:
    the months and ISO weeks of metricflow_time_spine's days are the rows
    of int_reporting_periods, and the spine has no hole (every day but the
    last is followed by the next one). Fails with one row per period in
    one and not the other, and per day whose next day is missing.
-#}
{%- set grains = reporting_period_grains() -%}

with

spine as (

    select * from {{ ref('metricflow_time_spine') }}

),

periods as (

    select
        period_grain,
        period_start

    from {{ ref('int_reporting_periods') }}

),

spine_periods as (

    {% for grain in grains %}
        select distinct
            '{{ grain }}' as period_grain,
            {{ reporting_period_start("'" ~ grain ~ "'", 'date_day') }} as period_start
        from spine
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

only_in_spine as (

    select
        spine_periods.period_grain,
        spine_periods.period_start,
        'period of the time spine not in int_reporting_periods' as failure

    from spine_periods
    left join periods
        on
            spine_periods.period_grain = periods.period_grain
            and spine_periods.period_start = periods.period_start
    where periods.period_start is null

),

only_in_periods as (

    select
        periods.period_grain,
        periods.period_start,
        'reporting period without a day in the time spine' as failure

    from periods
    left join spine_periods
        on
            periods.period_grain = spine_periods.period_grain
            and periods.period_start = spine_periods.period_start
    where spine_periods.period_start is null

),

spine_bounds as (

    select max(date_day) as last_date_day from spine

),

holes as (

    select
        'day' as period_grain,
        spine_days.date_day as period_start,
        'the next day is missing from the time spine' as failure

    from spine as spine_days
    cross join spine_bounds
    left join spine as next_days
        on next_days.date_day = cast({{ dbt.dateadd('day', '1', 'spine_days.date_day') }} as date)
    where
        next_days.date_day is null
        and spine_days.date_day < spine_bounds.last_date_day

)

select * from only_in_spine
union all
select * from only_in_periods
union all
select * from holes
