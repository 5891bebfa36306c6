{#-
    Engagement tile: one row per period_grain x period_start of the
    reporting spine, over the automated sessions started in the period.
    Each rate with its previous-period value, then the numerators and
    denominators it is computed from. A rate with a zero denominator is
    null.
-#}
{%- set rates = ['first_message_open_rate', 'button_ctr', 'link_ctr', 'first_message_dropoff_rate'] -%}
{%- set counts = [
    'sessions_started', 'sessions_with_outbound_message', 'sessions_with_first_message_read',
    'sessions_dropped_after_first_message', 'messages_with_buttons', 'button_clicks',
    'messages_with_link', 'link_clicks',
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

        -- kpis (rates), each with its previous-period value
        {% for kpi in rates %}
            cast({{ kpi }} as {{ type_double() }}) as {{ kpi }},
            cast(previous_{{ kpi }} as {{ type_double() }}) as previous_{{ kpi }},
        {% endfor %}

        -- numerators and denominators
        {% for column in counts %}
            cast({{ column }} as {{ dbt.type_bigint() }}) as {{ column }},
        {% endfor %}

        -- the period the previous_* values come from
        cast(previous_period_start as date) as previous_period_start

    from kpi_values

)

select * from final
