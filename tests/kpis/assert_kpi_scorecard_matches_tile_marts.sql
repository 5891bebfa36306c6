{#-
    kpi_scorecard carries exactly the numbers of the tile marts it comes
    from: for every period and KPI of mart_acquisition, mart_engagement,
    mart_conversion_revenue, mart_ops_health and mart_roi_monthly (months),
    the scorecard row has the same value, previous_value, numerator and
    denominator (null-safe), and the scorecard has no row the marts do not
    have. The mapping below is written out independently of the
    scorecard's own KPI list. Fails with one row per mismatch.
-#}
{%- set tile_kpis = {
    'mart_acquisition': {
        'sessions_started': none, 'comment_to_dm_starts': none, 'story_reply_starts': none,
        'keyword_starts': none, 'ad_starts': none, 'direct_starts': none,
    },
    'mart_engagement': {
        'first_message_open_rate': ['sessions_with_first_message_read', 'sessions_with_outbound_message'],
        'button_ctr': ['button_clicks', 'messages_with_buttons'],
        'link_ctr': ['link_clicks', 'messages_with_link'],
        'first_message_dropoff_rate': ['sessions_dropped_after_first_message', 'sessions_with_outbound_message'],
    },
    'mart_conversion_revenue': {
        'lead_capture_rate': ['sessions_with_consented_lead', 'sessions_started'],
        'dm_to_sale_rate': ['sold_sessions', 'sessions_started'],
        'attributed_orders': none,
        'attributed_revenue': none,
        'aov': ['attributed_revenue', 'attributed_orders'],
        'revenue_per_chat': ['attributed_revenue', 'sessions_started'],
        'assisted_revenue': none,
        'lead_to_customer_rate': ['converted_leads', 'sessions_with_consented_lead'],
        'revenue_per_lead': ['lead_revenue', 'sessions_with_consented_lead'],
        'median_days_to_first_order': none,
    },
    'mart_ops_health': {
        'median_first_response_seconds': none,
        'frt_under_60s_rate': ['sessions_answered_within_60s', 'sessions_with_outbound_message'],
        'self_serve_rate': ['self_served_sessions', 'sessions_started'],
        'handoff_rate': ['handed_off_sessions', 'sessions_started'],
        'median_handoff_response_seconds': none,
        'median_resolution_minutes': none,
        'opt_out_rate': ['opted_out_sessions', 'sessions_started'],
    },
    'mart_roi_monthly': {
        'automation_cost': none,
        'gains': none,
        'roi': ['net_gain', 'automation_cost'],
        'cost_per_lead': ['automation_cost', 'leads_with_consent'],
    },
} -%}
{%- set compared_columns = ['value', 'previous_value', 'numerator', 'denominator'] -%}

with

expected as (

    {%- for mart, kpis in tile_kpis.items() %}
        {%- set mart_loop = loop %}
        {%- for kpi, parts in kpis.items() %}
            select
                {{ "'month'" if mart == 'mart_roi_monthly' else 'period_grain' }},
                period_start,
                '{{ kpi }}' as kpi,
                cast({{ kpi }} as {{ type_money() }}) as value,  -- noqa: RF04
                cast(previous_{{ kpi }} as {{ type_money() }}) as previous_value,
                cast({{ parts[0] if parts else 'null' }} as {{ type_money() }}) as numerator,
                cast({{ parts[1] if parts else 'null' }} as {{ type_money() }}) as denominator
            from {{ ref(mart) }}
            {%- if not (loop.last and mart_loop.last) %}
                union all
            {%- endif %}
        {%- endfor %}
    {%- endfor %}

),

scorecard as (

    select * from {{ ref('kpi_scorecard') }}

),

compared as (

    select
        coalesce(expected.period_grain, scorecard.period_grain) as period_grain,
        coalesce(expected.period_start, scorecard.period_start) as period_start,
        coalesce(expected.kpi, scorecard.kpi) as kpi,
        case
            when scorecard.kpi is null then 'missing from kpi_scorecard'
            when expected.kpi is null then 'not in any tile mart'
            {%- for column in compared_columns %}
                when not (
                    expected.{{ column }} = scorecard.{{ column }}
                    or (expected.{{ column }} is null and scorecard.{{ column }} is null)
                ) then '{{ column }} differs'
            {%- endfor %}
        end as mismatch,
    {%- for column in compared_columns %}
        expected.{{ column }} as tile_{{ column }},
        scorecard.{{ column }} as scorecard_{{ column }}{{ ',' if not loop.last }}
    {%- endfor %}

    from expected
    full outer join scorecard
        on
            expected.period_grain = scorecard.period_grain
            and expected.period_start = scorecard.period_start
            and expected.kpi = scorecard.kpi

)

select * from compared
where mismatch is not null
