{#-
    Engagement tile: one row per period_grain x period_start of the
    reporting spine, over the automated sessions started in the period.
    Each rate with its previous-period value, then the numerators and
    denominators it is computed from. A rate with a zero denominator is
    null.
-#}
{%- set parts = [
    ['sessions_started', 'bigint'], ['sessions_with_outbound_message', 'bigint'],
    ['sessions_with_first_message_read', 'bigint'], ['sessions_dropped_after_first_message', 'bigint'],
    ['messages_with_buttons', 'bigint'], ['button_clicks', 'bigint'], ['messages_with_link', 'bigint'],
    ['link_clicks', 'bigint'],
] -%}

with

kpi_values as (

    select * from {{ ref('int_kpi_period_values') }}

),

final as (

    {{ tile_mart_select('engagement', parts) }}

)

select * from final
