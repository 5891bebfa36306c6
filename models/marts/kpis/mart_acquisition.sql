{#-
    Acquisition tile: one row per period_grain x period_start of the
    reporting spine. Automated sessions started in the period, in total and
    by the entry point of their trigger (direct_starts is an extra, so the
    entry points add up to sessions_started), each with its value of the
    previous period of the same grain.
-#}

with

kpi_values as (

    select * from {{ ref('int_kpi_period_values') }}

),

final as (

    {{ tile_mart_select('acquisition', parts=[]) }}

)

select * from final
