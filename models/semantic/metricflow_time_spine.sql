{#-
    MetricFlow's time spine: one row per UTC day from the first to the last
    day on which the data has any session (automated or organic), order
    (convertible) or cost (converted), the same bounds as the reporting
    spine (int_reporting_periods). The months and ISO weeks of these days
    are exactly the scorecard's periods, so a metric that joins the time
    spine (join_to_timespine) has a row for every scorecard period and no
    other. The bounds come from int_activity_date_bounds; the days are
    enumerated portably from integer_offsets (0 to 99999 days, 273 years)
    and dbt.dateadd, not from generate_series.
-#}
with

date_bounds as (

    select * from {{ ref('int_activity_date_bounds') }}

),

day_offsets as (

    {{ integer_offsets(5, 'day_offset') }}

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
