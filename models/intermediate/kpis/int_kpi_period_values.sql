{#-
    Every KPI of the acquisition, engagement, conversion_revenue and
    ops_health tiles, and the inputs of the ROI tile, for every period of
    the spine: one row per period_grain x period_start. The one place where
    KPIs are aggregated: each fact row is assigned to its period once per
    grain (a cross join with the grains of the spine), then aggregated once.
    Sessions = automated sessions, in the period of their start (with every
    per-session measure, sold or not); orders in the period of their UTC
    date. Counts and sums of an empty period are 0; a rate with a zero
    denominator is null (macro kpi_ratio); a median of nothing is null.
    previous_<kpi> is the value of the previous period of the same grain
    (null for the first period of the spine).
-#}
{%- set entry_points = ['comment_to_dm', 'story_reply', 'keyword', 'ad', 'direct'] -%}
{#- the KPIs of the four tiles (roi is built in mart_roi_monthly), registry order -#}
{%- set kpis = kpi_registry() | rejectattr('tile', 'equalto', 'roi') | map(attribute='kpi') | list -%}
{%- set session_counts = [
    'sessions_started', 'comment_to_dm_starts', 'story_reply_starts', 'keyword_starts', 'ad_starts',
    'direct_starts', 'sessions_with_outbound_message', 'sessions_with_first_message_read',
    'messages_with_buttons', 'button_clicks', 'messages_with_link', 'link_clicks',
    'sessions_dropped_after_first_message', 'sessions_with_consented_lead', 'sold_sessions',
    'converted_leads', 'leads_with_open_window',
    'sessions_with_first_response', 'sessions_answered_within_60s', 'self_served_sessions',
    'handed_off_sessions', 'handoffs_with_agent_response', 'resolved_sessions', 'opted_out_sessions',
] -%}
{%- set order_counts = [
    'attributed_orders', 'attributed_orders_matched', 'attributed_orders_unmatched', 'assisted_orders',
] -%}
{%- set order_sums = [
    'attributed_revenue', 'attributed_revenue_matched', 'attributed_revenue_unmatched', 'assisted_revenue',
] -%}

with

periods as (

    select * from {{ ref('int_reporting_periods') }}

),

sessions as (

    select * from {{ ref('int_dm_sessions') }}
    where session_type = 'automated'

),

session_attribution as (

    select * from {{ ref('int_dm_sessions_attributed') }}

),

leads as (

    select * from {{ ref('int_dm_leads_converted') }}

),

orders as (

    select * from {{ ref('int_orders_attributed') }}

),

grains as (

    select distinct period_grain from periods

),

sessions_in_periods as (

    select
        grains.period_grain,
        {{ reporting_period_start('grains.period_grain', 'sessions.started_date') }} as period_start,
        sessions.entry_point,
        sessions.outbound_messages,
        sessions.is_first_message_read,
        sessions.messages_with_buttons,
        sessions.button_clicks,
        sessions.messages_with_link,
        sessions.link_clicks,
        sessions.has_customer_activity_after_first_message,
        sessions.has_lead_with_consent,
        sessions.first_response_seconds,
        sessions.is_answered_within_60s,
        sessions.is_self_served,
        sessions.has_handoff,
        sessions.handoff_response_seconds,
        sessions.is_resolved,
        sessions.resolution_minutes,
        sessions.has_opt_out,
        coalesce(session_attribution.is_sold, false) as is_sold,
        coalesce(leads.is_converted, false) as is_converted_lead,
        coalesce(leads.is_window_open, false) as is_lead_window_open,
        leads.revenue_in_window as lead_revenue,
        leads.days_to_first_order

    from sessions
    left join session_attribution
        on sessions.session_id = session_attribution.session_id
    left join leads
        on sessions.session_id = leads.session_id
    cross join grains

),

sessions_aggregated as (

    select
        period_grain,
        period_start,

        -- acquisition
        count(*) as sessions_started,
        {%- for entry_point in entry_points %}
            sum(case when entry_point = '{{ entry_point }}' then 1 else 0 end) as {{ entry_point }}_starts,
        {%- endfor %}

        -- engagement
        sum(case when outbound_messages > 0 then 1 else 0 end) as sessions_with_outbound_message,
        sum(case when is_first_message_read then 1 else 0 end) as sessions_with_first_message_read,
        sum(messages_with_buttons) as messages_with_buttons,
        sum(button_clicks) as button_clicks,
        sum(messages_with_link) as messages_with_link,
        sum(link_clicks) as link_clicks,
        sum(
            case when outbound_messages > 0 and not has_customer_activity_after_first_message then 1 else 0 end
        ) as sessions_dropped_after_first_message,

        -- conversion
        sum(case when has_lead_with_consent then 1 else 0 end) as sessions_with_consented_lead,
        sum(case when is_sold then 1 else 0 end) as sold_sessions,

        -- lead economics (leads = sessions with a consented lead)
        sum(case when is_converted_lead then 1 else 0 end) as converted_leads,
        sum(lead_revenue) as lead_revenue,
        sum(case when is_lead_window_open then 1 else 0 end) as leads_with_open_window,
        {{ median('days_to_first_order') }} as median_days_to_first_order,

        -- ops health
        count(first_response_seconds) as sessions_with_first_response,
        {{ median('first_response_seconds') }} as median_first_response_seconds,
        sum(case when is_answered_within_60s then 1 else 0 end) as sessions_answered_within_60s,
        sum(case when is_self_served then 1 else 0 end) as self_served_sessions,
        sum(case when has_handoff then 1 else 0 end) as handed_off_sessions,
        count(case when has_handoff then handoff_response_seconds end) as handoffs_with_agent_response,
        {{ median('case when has_handoff then handoff_response_seconds end') }} as median_handoff_response_seconds,
        sum(case when is_resolved then 1 else 0 end) as resolved_sessions,
        {{ median('case when is_resolved then resolution_minutes end') }} as median_resolution_minutes,
        sum(case when has_opt_out then 1 else 0 end) as opted_out_sessions

    from sessions_in_periods
    group by
        period_grain,
        period_start

),

orders_in_periods as (

    select
        grains.period_grain,
        {{ reporting_period_start('grains.period_grain', 'orders.created_date') }} as period_start,
        orders.attribution_type,
        orders.is_counted_order,
        orders.attributed_revenue,
        orders.assisted_revenue

    from orders
    cross join grains

),

orders_aggregated as (

    select
        period_grain,
        period_start,
        sum(
            case
                when attribution_type in ('dm_attributed', 'utm_unmatched') and is_counted_order then 1 else 0
            end
        ) as attributed_orders,
        sum(
            case when attribution_type = 'dm_attributed' and is_counted_order then 1 else 0 end
        ) as attributed_orders_matched,
        sum(
            case when attribution_type = 'utm_unmatched' and is_counted_order then 1 else 0 end
        ) as attributed_orders_unmatched,
        sum(case when attribution_type = 'assisted' and is_counted_order then 1 else 0 end) as assisted_orders,
        sum(attributed_revenue) as attributed_revenue,
        sum(
            case when attribution_type = 'dm_attributed' then attributed_revenue else 0 end
        ) as attributed_revenue_matched,
        sum(
            case when attribution_type = 'utm_unmatched' then attributed_revenue else 0 end
        ) as attributed_revenue_unmatched,
        sum(assisted_revenue) as assisted_revenue

    from orders_in_periods
    group by
        period_grain,
        period_start

),

measured as (

    select
        periods.period_grain,
        periods.period_start,
        periods.previous_period_start,
        {%- for column in session_counts %}
            cast(coalesce(sessions_aggregated.{{ column }}, 0) as {{ dbt.type_bigint() }}) as {{ column }},
        {%- endfor %}
        {%- for column in order_counts %}
            cast(coalesce(orders_aggregated.{{ column }}, 0) as {{ dbt.type_bigint() }}) as {{ column }},
        {%- endfor %}
        {%- for column in order_sums %}
            cast(coalesce(orders_aggregated.{{ column }}, 0) as {{ type_money() }}) as {{ column }},
        {%- endfor %}
        cast(coalesce(sessions_aggregated.lead_revenue, 0) as {{ type_money() }}) as lead_revenue,
        cast(sessions_aggregated.median_days_to_first_order as {{ type_double() }})
            as median_days_to_first_order,
        cast(sessions_aggregated.median_first_response_seconds as {{ type_double() }})
            as median_first_response_seconds,
        cast(sessions_aggregated.median_handoff_response_seconds as {{ type_double() }})
            as median_handoff_response_seconds,
        cast(sessions_aggregated.median_resolution_minutes as {{ type_double() }})
            as median_resolution_minutes

    from periods
    left join sessions_aggregated
        on
            periods.period_grain = sessions_aggregated.period_grain
            and periods.period_start = sessions_aggregated.period_start
    left join orders_aggregated
        on
            periods.period_grain = orders_aggregated.period_grain
            and periods.period_start = orders_aggregated.period_start

),

rated as (

    select
        *,
        -- engagement
        {{ kpi_ratio('sessions_with_first_message_read', 'sessions_with_outbound_message') }}
            as first_message_open_rate,
        {{ kpi_ratio('button_clicks', 'messages_with_buttons') }} as button_ctr,
        {{ kpi_ratio('link_clicks', 'messages_with_link') }} as link_ctr,
        {{ kpi_ratio('sessions_dropped_after_first_message', 'sessions_with_outbound_message') }}
            as first_message_dropoff_rate,

        -- conversion
        {{ kpi_ratio('sessions_with_consented_lead', 'sessions_started') }} as lead_capture_rate,
        {{ kpi_ratio('sold_sessions', 'sessions_started') }} as dm_to_sale_rate,
        {{ kpi_ratio('attributed_revenue', 'attributed_orders') }} as aov,
        {{ kpi_ratio('attributed_revenue', 'sessions_started') }} as revenue_per_chat,
        {{ kpi_ratio('converted_leads', 'sessions_with_consented_lead') }} as lead_to_customer_rate,
        {{ kpi_ratio('lead_revenue', 'sessions_with_consented_lead') }} as revenue_per_lead,

        -- ops health
        {{ kpi_ratio('sessions_answered_within_60s', 'sessions_with_outbound_message') }} as frt_under_60s_rate,
        {{ kpi_ratio('self_served_sessions', 'sessions_started') }} as self_serve_rate,
        {{ kpi_ratio('handed_off_sessions', 'sessions_started') }} as handoff_rate,
        {{ kpi_ratio('opted_out_sessions', 'sessions_started') }} as opt_out_rate

    from measured

),

final as (

    select
        current_period.*,
        {%- for kpi in kpis %}
            previous_period.{{ kpi }} as previous_{{ kpi }},
        {%- endfor %}
        previous_period.period_start is not null as has_previous_period

    from rated as current_period
    left join rated as previous_period
        on
            current_period.period_grain = previous_period.period_grain
            and current_period.previous_period_start = previous_period.period_start

)

select * from final
