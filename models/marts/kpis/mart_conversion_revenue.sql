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
{%- set kpis = [
    ('lead_capture_rate', type_double()),
    ('dm_to_sale_rate', type_double()),
    ('attributed_orders', dbt.type_bigint()),
    ('attributed_revenue', type_money()),
    ('aov', type_double()),
    ('revenue_per_chat', type_double()),
    ('assisted_revenue', type_money()),
    ('lead_to_customer_rate', type_double()),
    ('revenue_per_lead', type_double()),
    ('median_days_to_first_order', type_double()),
] -%}
{%- set parts = [
    ('sessions_started', dbt.type_bigint()),
    ('sessions_with_consented_lead', dbt.type_bigint()),
    ('sold_sessions', dbt.type_bigint()),
    ('attributed_orders_matched', dbt.type_bigint()),
    ('attributed_orders_unmatched', dbt.type_bigint()),
    ('attributed_revenue_matched', type_money()),
    ('attributed_revenue_unmatched', type_money()),
    ('assisted_orders', dbt.type_bigint()),
    ('converted_leads', dbt.type_bigint()),
    ('lead_revenue', type_money()),
    ('leads_with_open_window', dbt.type_bigint()),
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
        {% for kpi, data_type in kpis %}
            cast({{ kpi }} as {{ data_type }}) as {{ kpi }},
            cast(previous_{{ kpi }} as {{ data_type }}) as previous_{{ kpi }},
        {% endfor %}

        -- numerators, denominators and their parts
        {% for column, data_type in parts %}
            cast({{ column }} as {{ data_type }}) as {{ column }},
        {% endfor %}

        -- the period the previous_* values come from
        cast(previous_period_start as date) as previous_period_start

    from kpi_values

)

select * from final
