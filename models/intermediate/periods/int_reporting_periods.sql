{#-
    The reporting spine: one row per period_grain (week = ISO week from
    Monday, month = calendar month, UTC dates) and period_start, from the
    first to the last period in which the data has any session (automated
    or organic), order (convertible) or cost (converted), with no holes.
    The bounds come from int_activity_date_bounds; the periods are
    enumerated portably from integer_offsets (cross-joined digits: 0 to
    9999 periods per grain, i.e. 190 years of weeks), not from
    generate_series.
-#}
{%- set grains = reporting_period_grains() -%}

with

date_bounds as (

    select * from {{ ref('int_activity_date_bounds') }}

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

period_offsets as (

    {{ integer_offsets(4, 'period_offset') }}

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
