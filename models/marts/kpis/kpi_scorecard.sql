{#-
    The scorecard: one row per period_grain x period_start x tile x kpi, a
    long table unpivoted from the tile marts (mart_acquisition,
    mart_engagement, mart_conversion_revenue, mart_ops_health for weeks and
    months; mart_roi_monthly for months only), so it carries exactly their
    values. numerator and denominator are those of a rate or ratio, null
    for counts, sums and medians. change = value - previous_value;
    change_pct = change / previous_value, null when the previous value is
    null or 0. why is one sentence built from the numbers (money shown
    with 2 decimals, rates with 1, rounding for display only), with the
    best flow (conversion tile) and the top drop-off step (engagement)
    from int_kpi_period_highlights, and whether the change is beyond
    noise (int_kpi_noise_tests: a clause of why, and the columns
    noise_test, ci_low, ci_high, change_p_value, is_change_significant).
    The KPIs, their order, units, labels
    and sentences come from the KPI registry (macro kpi_registry).
-#}
{%- set kpis = kpi_registry() -%}

with

acquisition as (

    select * from {{ ref('mart_acquisition') }}

),

engagement as (

    select * from {{ ref('mart_engagement') }}

),

conversion_revenue as (

    select * from {{ ref('mart_conversion_revenue') }}

),

ops_health as (

    select * from {{ ref('mart_ops_health') }}

),

roi_monthly as (

    select * from {{ ref('mart_roi_monthly') }}

),

highlights as (

    select * from {{ ref('int_kpi_period_highlights') }}

),

noise_tests as (

    select * from {{ ref('int_kpi_noise_tests') }}

),

acquisition_values as (

    select * from acquisition

),

engagement_values as (

    select
        engagement.*,
        highlights.top_dropoff_flow_name,
        highlights.top_dropoff_step,
        highlights.top_dropoff_sessions,
        highlights.top_dropoff_sessions_reached

    from engagement
    left join highlights
        on
            engagement.period_grain = highlights.period_grain
            and engagement.period_start = highlights.period_start

),

conversion_revenue_values as (

    select
        conversion_revenue.*,
        highlights.best_flow_name,
        highlights.best_flow_attributed_revenue

    from conversion_revenue
    left join highlights
        on
            conversion_revenue.period_grain = highlights.period_grain
            and conversion_revenue.period_start = highlights.period_start

),

ops_health_values as (

    select * from ops_health

),

roi_values as (

    select
        'month' as period_grain,
        *

    from roi_monthly

),

unpivoted as (

    {% for kpi in kpis %}
        select
            period_grain,
            period_start,
            previous_period_start,
            '{{ kpi.tile }}' as tile,
            '{{ kpi.kpi }}' as kpi,
            {{ loop.index }} as kpi_order,
            '{{ kpi.label }}' as kpi_label,
            '{{ kpi.unit }}' as unit,
            {{ 'true' if kpi.higher_is_better else 'false' }} as is_higher_better,
            cast({{ kpi.kpi }} as {{ type_money() }}) as value,
            cast({{ kpi.get('numerator') or 'null' }} as {{ type_money() }}) as numerator,
            cast({{ kpi.get('denominator') or 'null' }} as {{ type_money() }}) as denominator,
            cast(previous_{{ kpi.kpi }} as {{ type_money() }}) as previous_value,
            {{ format_kpi_value(kpi.kpi, kpi.unit) }} as value_text,
            {{ format_kpi_value('previous_' ~ kpi.kpi, kpi.unit) }} as previous_value_text,
            {{ why_text(kpi.detail) }} as detail,
            '{{ kpi.empty }}' as empty_reason
        from {{ kpi.tile }}_values
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

changes_computed as (

    select
        *,
        value - previous_value as change,
        case
            when previous_value <> 0
                then cast(value - previous_value as {{ type_double() }}) / cast(previous_value as {{ type_double() }})
        end as change_pct

    from unpivoted

),

described as (

    select
        changes_computed.*,
        noise_tests.noise_test,
        noise_tests.ci_low,
        noise_tests.ci_high,
        noise_tests.change_p_value,
        noise_tests.is_change_significant,
        coalesce('; ' || noise_tests.noise_text, '') as noise_clause,
        case
            when changes_computed.unit = 'rate'
                then ' (' || {{ format_signed('100.0 * changes_computed.change', 1) }} || ' pts)'
            when changes_computed.change_pct is not null
                then ' (' || {{ format_signed('100.0 * changes_computed.change_pct', 0) }} || '%)'
            else ''
        end as change_text

    from changes_computed
    left join noise_tests
        on
            changes_computed.period_grain = noise_tests.period_grain
            and changes_computed.period_start = noise_tests.period_start
            and changes_computed.kpi = noise_tests.kpi

),

final as (

    select
        -- keys
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_start as date) as period_start,
        cast(tile as {{ dbt.type_string() }}) as tile,
        cast(kpi as {{ dbt.type_string() }}) as kpi,

        -- kpi
        cast(kpi_label as {{ dbt.type_string() }}) as kpi_label,
        cast(unit as {{ dbt.type_string() }}) as unit,
        cast(kpi_order as {{ dbt.type_int() }}) as kpi_order,
        cast(is_higher_better as boolean) as is_higher_better,

        -- values
        cast(value as {{ type_money() }}) as value,
        cast(numerator as {{ type_money() }}) as numerator,
        cast(denominator as {{ type_money() }}) as denominator,
        cast(previous_value as {{ type_money() }}) as previous_value,
        cast(change as {{ type_money() }}) as change,
        cast(change_pct as {{ type_double() }}) as change_pct,

        -- is it real? (int_kpi_noise_tests)
        cast(noise_test as {{ dbt.type_string() }}) as noise_test,
        cast(ci_low as {{ type_double() }}) as ci_low,
        cast(ci_high as {{ type_double() }}) as ci_high,
        cast(change_p_value as {{ type_double() }}) as change_p_value,
        cast(is_change_significant as boolean) as is_change_significant,

        -- sentence
        cast(
            case
                when value is null
                    then kpi_label || ' is empty this ' || period_grain || ': ' || empty_reason || '.'
                when previous_value is null
                    then
                        kpi_label || ' was ' || value_text || ' (no value for the previous ' || period_grain
                        || '): ' || detail || '.'
                when value > previous_value
                    then
                        kpi_label || ' rose from ' || previous_value_text || ' to ' || value_text || change_text
                        || ': ' || detail || noise_clause || '.'
                when value < previous_value
                    then
                        kpi_label || ' fell from ' || previous_value_text || ' to ' || value_text || change_text
                        || ': ' || detail || noise_clause || '.'
                else kpi_label || ' held at ' || value_text || ': ' || detail || noise_clause || '.'
            end as {{ dbt.type_string() }}
        ) as why,

        -- period
        cast(previous_period_start as date) as previous_period_start

    from described

)

select * from final
