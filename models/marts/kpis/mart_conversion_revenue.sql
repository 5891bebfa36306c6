{#-
    Conversion and revenue tile: one row per period_grain x period_start of
    the reporting spine. Session rates count the automated sessions started
    in the period (sold = given at least one counted order by last touch);
    orders and revenue belong to the period of the order's UTC date.
    attributed_* covers DM-attributed orders, matched (dm_attributed) and
    utm_unmatched; an order counts when eligible with net revenue > 0, a
    fully refunded one adds 0 revenue and no order. Money in the reporting
    currency, unrounded; ratios are null on a zero denominator. Lead
    economics (lead_to_customer_rate, revenue_per_lead,
    median_days_to_first_order) follow the leads of the period's sessions
    into their 30-day windows (int_dm_leads_converted): orders of any
    attribution type, never part of attributed revenue.
-#}
{%- set parts = [
    ['sessions_started', 'bigint'], ['sessions_with_consented_lead', 'bigint'], ['sold_sessions', 'bigint'],
    ['attributed_orders_matched', 'bigint'], ['attributed_orders_unmatched', 'bigint'],
    ['attributed_revenue_matched', 'money'], ['attributed_revenue_unmatched', 'money'],
    ['assisted_orders', 'bigint'], ['converted_leads', 'bigint'], ['lead_revenue', 'money'],
    ['leads_with_open_window', 'bigint'],
] -%}

with

kpi_values as (

    select * from {{ ref('int_kpi_period_values') }}

),

final as (

    {{ tile_mart_select('conversion_revenue', parts) }}

)

select * from final
