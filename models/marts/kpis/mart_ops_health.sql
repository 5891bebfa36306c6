{#-
    Operations health tile: one row per period_grain x period_start of the
    reporting spine, over the automated sessions started in the period.
    Medians are continuous (macro median) over the sessions that have the
    duration, null when none has; rates are null on a zero denominator.
    Each KPI with its previous-period value, then the counts behind it.
-#}
{%- set kpis = [
    'median_first_response_seconds', 'frt_under_60s_rate', 'self_serve_rate', 'handoff_rate',
    'median_handoff_response_seconds', 'median_resolution_minutes', 'opt_out_rate',
] -%}
{%- set counts = [
    'sessions_started', 'sessions_with_outbound_message', 'sessions_with_first_response',
    'sessions_answered_within_60s', 'self_served_sessions', 'handed_off_sessions',
    'handoffs_with_agent_response', 'resolved_sessions', 'opted_out_sessions',
] -%}

with

kpi_values as (

    select * from {{ ref('int_kpi_period_values') }}

),

final as (

    select
        -- period
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_start as date) as period_start,

        -- kpis, each with its previous-period value
        {% for kpi in kpis %}
            cast({{ kpi }} as {{ type_double() }}) as {{ kpi }},
            cast(previous_{{ kpi }} as {{ type_double() }}) as previous_{{ kpi }},
        {% endfor %}

        -- numerators, denominators and the counts behind the medians
        {% for column in counts %}
            cast({{ column }} as {{ dbt.type_bigint() }}) as {{ column }},
        {% endfor %}

        -- the period the previous_* values come from
        cast(previous_period_start as date) as previous_period_start

    from kpi_values

)

select * from final
