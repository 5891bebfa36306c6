{#-
    Operations health tile: one row per period_grain x period_start of the
    reporting spine, over the automated sessions started in the period.
    Medians are continuous (macro median) over the sessions that have the
    duration, null when none has; rates are null on a zero denominator.
    Each KPI with its previous-period value, then the counts behind it.
-#}
{%- set parts = [
    ['sessions_started', 'bigint'], ['sessions_with_outbound_message', 'bigint'],
    ['sessions_with_first_response', 'bigint'], ['sessions_answered_within_60s', 'bigint'],
    ['self_served_sessions', 'bigint'], ['handed_off_sessions', 'bigint'],
    ['handoffs_with_agent_response', 'bigint'], ['resolved_sessions', 'bigint'], ['opted_out_sessions', 'bigint'],
] -%}

with

kpi_values as (

    select * from {{ ref('int_kpi_period_values') }}

),

final as (

    {{ tile_mart_select('ops_health', parts) }}

)

select * from final
